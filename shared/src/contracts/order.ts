import { z } from 'zod';
import { Cursor, EpochMs, FenAmount, Id, Label, Limit, Ref, Title, page } from './common';
import { ORDER_STATUSES, ORDER_TABS } from '../order-lifecycle';
import { QuoteLineView } from './checkout';
import { OrderGroupInfo } from './group';

const OrderStatusSchema = z.enum(ORDER_STATUSES);
const OrderTabKeySchema = z.enum(ORDER_TABS.map((t) => t.key) as [string, ...string[]]);

const ShippingAddress = z.object({
  name: Label,
  phone: Label,
  province: Label,
  city: Label,
  district: Label,
  detail: Title,
});

const TimelineEntry = z.object({ at: EpochMs, status: OrderStatusSchema, note: Title });

export const REFUND_STATUSES = ['REFUNDING', 'REFUNDED', 'CLOSED', 'ABNORMAL', 'REFUND_FAILED'] as const;
const RefundStatusSchema = z.enum(REFUND_STATUSES);
export const REFUND_STATUS_LABEL: Record<(typeof REFUND_STATUSES)[number], string> = {
  REFUNDING: '退款中',
  REFUNDED: '已退款',
  CLOSED: '退款已关闭，可重新申请',
  ABNORMAL: '退款异常，客服处理中',
  REFUND_FAILED: '退款异常，客服处理中',
};
export const RefundView = z.object({
  outRefundNo: Ref,
  reason: Ref,
  reasonLabel: Label,
  amountFen: FenAmount,
  status: RefundStatusSchema,
  statusLabel: Label,
  createdAt: EpochMs,
  finishedAt: EpochMs.nullable(),
});
export type RefundView = z.infer<typeof RefundView>;

export const OrderView = z.object({
  id: Id,
  status: OrderStatusSchema,
  statusLabel: Label,
  lines: z.array(QuoteLineView),
  itemCount: z.number().int(),
  subtotalFen: FenAmount,
  shippingFen: FenAmount,
  discountFen: FenAmount,
  discounts: z.array(z.object({ kind: Ref, label: Title, amountFen: FenAmount })),
  payableFen: FenAmount,
  address: ShippingAddress,
  remark: Title,
  createdAt: EpochMs,
  /** Payment deadline: after it the order can no longer be paid. */
  deadlineAt: EpochMs,
  paidAt: EpochMs.nullable(),
  /** A received order: 售后 may be asked for until then (null while not received). */
  afterSaleUntil: EpochMs.nullable(),
  cancelledAt: EpochMs.nullable(),
  cancelReason: Title.nullable(),
  transactionId: Ref.nullable(),
  /** What the shopper actually paid (null while unpaid) and how much of it has been or is being given back. */
  paidFen: FenAmount.nullable(),
  refundedFen: FenAmount,
  refunds: z.array(RefundView),
  couponIds: z.array(Id),
  /** Group-buy orders: the group and the shopper's part in it; they ship only once the group succeeds. */
  group: OrderGroupInfo.nullable().default(null),
  timeline: z.array(TimelineEntry),
});
export type OrderView = z.infer<typeof OrderView>;

export const ListOrdersQuery = z.object({
  tab: OrderTabKeySchema.default('ALL'),
  cursor: Cursor,
  limit: Limit,
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuery>;
export const OrderPage = page(OrderView);
export type OrderPage = z.infer<typeof OrderPage>;

/** How many of the shopper's orders wait on each 我的 shortcut: 待付款, 待发货, 待收货 and 退款售后 (refunds under way). */
const Count = z.number().int().nonnegative();
export const OrderCounts = z.object({ PENDING_PAYMENT: Count, PAID: Count, SHIPPED: Count, REFUNDING: Count });
export type OrderCounts = z.infer<typeof OrderCounts>;

/** What `Taro.requestPayment` needs (WeChat Pay JSAPI, signType RSA); computed and signed by the server. */
export const PaymentParams = z.object({
  timeStamp: z.string().max(16),
  nonceStr: z.string().max(32),
  package: z.string().max(128),
  signType: z.literal('RSA'),
  paySign: z.string().max(1024),
});
export type PaymentParams = z.infer<typeof PaymentParams>;

export const PayOrderResponse = z.object({
  orderId: Id,
  prepayId: Ref,
  /** `sandbox` on the local stage: the app shows its 模拟支付 sheet instead of calling requestPayment. */
  mode: z.enum(['wechat', 'sandbox']),
  params: PaymentParams,
  payableFen: FenAmount,
  deadlineAt: EpochMs,
});
export type PayOrderResponse = z.infer<typeof PayOrderResponse>;

/** Local stage: the 模拟支付 sheet confirms or abandons a sandbox payment. */
export const SandboxPayRequest = z.object({
  prepayId: z.string().min(1, '缺少支付单号').max(64, '支付单号格式不正确'),
  action: z.enum(['pay', 'cancel']),
});
export type SandboxPayRequest = z.infer<typeof SandboxPayRequest>;
export const SandboxPayResponse = z.object({
  delivered: z.boolean(),
  /** HTTP status our notify endpoint answered the sandbox with. */
  notifyStatus: z.number().int().nullable(),
});
