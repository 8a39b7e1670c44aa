import {
  CANCEL_REASON_LABEL,
  GROUP_STATUS_LABEL,
  ORDER_STATUS_LABEL,
  REFUND_STATUS_LABEL,
  type OrderView,
  type QuoteLine,
  type QuoteLineView,
  type RefundView,
} from '@shop/shared';
import { afterSaleUntil } from '../lib/fulfilment-config';
import type { OrderItem } from '../domain/order';
import type { RefundItem } from '../repositories/refund-repo';
import { REFUND_REASONS, type RefundReason } from './refunds';

type StoredLine = QuoteLine & { flashSale?: QuoteLineView['flashSale'] };

/** A priced line as the API shows it (quotes and orders alike). */
function quoteLineView(l: StoredLine): QuoteLineView {
  const { productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen, flashSale } = l;
  return { productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen, ...(flashSale ? { flashSale } : {}) };
}

/** The price breakdown both a quote and an order carry. */
export function priceBreakdown(p: {
  lines: StoredLine[];
  itemCount: number;
  subtotalFen: number;
  shippingFen: number;
  discountFen: number;
  discounts: { kind: string; label: string; amountFen: number }[];
  payableFen: number;
}) {
  return {
    lines: p.lines.map(quoteLineView),
    itemCount: p.itemCount,
    subtotalFen: p.subtotalFen,
    shippingFen: p.shippingFen,
    discountFen: p.discountFen,
    discounts: p.discounts,
    payableFen: p.payableFen,
  };
}

function toRefundView(r: RefundItem): RefundView {
  return {
    outRefundNo: r.outRefundNo,
    reason: r.reason,
    reasonLabel: REFUND_REASONS[r.reason as RefundReason] ?? r.reason,
    amountFen: r.amountFen,
    status: r.status,
    statusLabel: REFUND_STATUS_LABEL[r.status],
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

/** The order as the shopper sees it: every code comes with its words. */
export function toOrderView(o: OrderItem, refunds: RefundItem[] = []): OrderView {
  return {
    id: o.id,
    status: o.status,
    statusLabel: ORDER_STATUS_LABEL[o.status],
    ...priceBreakdown(o),
    address: o.address,
    remark: o.remark,
    createdAt: o.createdAt,
    deadlineAt: o.deadlineAt,
    paidAt: o.paidAt,
    afterSaleUntil: afterSaleUntil(o),
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason ? (CANCEL_REASON_LABEL[o.cancelReason] ?? '订单已取消') : null,
    transactionId: o.transactionId,
    paidFen: o.paidFen ?? null,
    refundedFen: o.refundedFen ?? 0,
    refunds: refunds.map(toRefundView),
    couponIds: o.couponIds ?? [],
    timeline: o.timeline,
    group: o.group
      ? {
          campaignId: o.group.campaignId,
          role: o.group.role,
          groupId: o.group.groupId,
          token: o.group.token,
          status: o.group.status,
          statusLabel: o.group.status === 'PENDING' ? (o.status === 'PENDING_PAYMENT' ? '待支付' : '拼团处理中') : GROUP_STATUS_LABEL[o.group.status],
        }
      : null,
  };
}

