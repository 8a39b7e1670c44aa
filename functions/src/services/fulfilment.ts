/**
 * Fulfilment and receipt (docs/after-sales.md "Fulfilment and receipt"):
 * - operators list orders to ship and ship them (the table's SHIP with parcels, tracking numbers and the operator log
 *   in one transaction; more parcels later while the shipment is not complete);
 * - from the table's stream, never in the request: WeChat's upload_shipping_info, the 快递100 subscription of every
 *   parcel, the exact-time receipt schedule and the 已发货 / 已签收 subscribe messages;
 * - 快递100 pushes (signature verified) update each parcel's timeline; all delivered moves the receipt due earlier;
 * - receipt (CONFIRM_RECEIPT): by the shopper, by WeChat's confirm-receipt event, or automatically at the due time
 *   (schedule + sweeper; a second run changes nothing). Receipt makes the order's pending points due after the
 *   configured window, from the stream.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DomainError,
  ORDER_STATUS_LABEL,
  TRACKING_STAGE_LABEL,
  allows,
  autoReceiptAt,
  carrierOf,
  maskPhone,
  type OpsOrdersPage,
  type OpsOrdersQuery,
  type OrderView,
  ShipRequest,
  type TrackingView,
} from '@shop/shared';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { db, table } from '../lib/dynamo';
import { afterSaleUntil, fulfilmentConfig } from '../lib/fulfilment-config';
import { logger } from '../lib/http';
import { namedSecret } from '../lib/named-secrets';
import type { OrderItem } from '../domain/order';
import { logistics, trackingCallbackUrl } from '../providers/logistics/index';
import { scheduleReceipt } from '../providers/scheduler';
import { wechatMpShared, type ShippingInfo, type WechatMp } from '../providers/wechat-mp';
import { fulfilmentRepo, type OpsLogEntry, type ParcelItem } from '../repositories/fulfilment-repo';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import { pointsRepo } from '../repositories/points-repo';
import { refundRepo } from '../repositories/refund-repo';
import { userRepo } from '../repositories/user-repo';
import { toOrderView } from './views';

const DAY_MS = 24 * 3600 * 1000;

/* ───────────── operators: orders to ship ───────────── */

const OpsCursor = z.object({ d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), o: z.string().max(26).optional() });
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

function addressLine(o: OrderItem): string {
  const a = o.address;
  return `${a.province}${a.city === a.province ? '' : a.city}${a.district}${a.detail}`;
}

/** Orders of a status created in [from, to], oldest day first (the day index of the reconciliation), with a cursor. */
export async function listOrdersForOps(q: OpsOrdersQuery, now: number): Promise<OpsOrdersPage> {
  const to = q.to ?? now;
  const from = q.from ?? to - 30 * DAY_MS;
  if (from > to || to - from > 92 * DAY_MS) throw new DomainError('VALIDATION_FAILED', '时间范围无效（最长 92 天）');
  const scope = `OPS#ORDERS#${q.status}#${from}#${to}`;
  const at = decodeCursor(q.cursor, scope, OpsCursor);
  const items: OpsOrdersPage['items'] = [];
  let day = at?.d ?? dayOf(from);
  let after = at?.o;
  while (day <= dayOf(to)) {
    const page = await fulfilmentRepo.ordersOfDay(day, q.status, q.limit - items.length, after);
    for (const o of page.items) {
      if (o.createdAt < from || o.createdAt > to) continue;
      items.push({
        id: o.id,
        status: o.status,
        statusLabel: ORDER_STATUS_LABEL[o.status],
        createdAt: o.createdAt,
        paidAt: o.paidAt,
        payableFen: o.payableFen,
        shippable: allows('SHIP', o),
        receiver: o.address.name,
        phone: o.address.phone,
        address: addressLine(o).slice(0, 200),
        lines: o.lines.map((l) => ({ skuId: l.skuId, title: l.title, specText: l.specText ?? '', quantity: l.quantity })),
        remark: o.remark,
      });
    }
    if (page.last) return { items, nextCursor: encodeCursor(scope, { d: day, o: page.last }) };
    day = dayOf(Date.parse(`${day}T00:00:00Z`) + DAY_MS);
    after = undefined;
  }
  return { items, nextCursor: null };
}

export async function opsLog(q: { cursor?: string; limit: number }, now: number) {
  const scope = 'OPS#LOG';
  const after = decodeCursor(q.cursor, scope, z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), sk: z.string().max(64) }));
  const page = await fulfilmentRepo.logPage({ now, days: 90, limit: q.limit, after });
  return { items: page.items, nextCursor: page.next ? encodeCursor(scope, page.next) : null };
}

/* ───────────── operators: shipping ───────────── */

function shipRefused(message: string): DomainError {
  return new DomainError('ORDER_STATE_CONFLICT', message);
}

/** Why an order cannot be shipped, in the operator's words. */
function notShippableReason(order: OrderItem): string {
  if (order.status === 'PAID' && order.group && order.group.status !== 'SUCCESS') return '拼团尚未成功，暂不能发货';
  if (order.status === 'SHIPPED') return '订单已发货';
  return `订单状态为「${ORDER_STATUS_LABEL[order.status]}」，不能发货`;
}

/** The units of each SKU still to send: bought, minus refunded, minus what earlier parcels carried. */
function remainingUnits(order: OrderItem, earlier: ParcelItem[]): Map<string, number> {
  const left = new Map<string, number>();
  for (const l of order.lines) left.set(l.skuId, (left.get(l.skuId) ?? 0) + l.quantity - (order.refundedLines?.[l.skuId]?.quantity ?? 0));
  for (const g of order.gifts ?? []) left.set(g.skuId, (left.get(g.skuId) ?? 0) + g.quantity);
  for (const p of earlier) for (const l of p.lines) left.set(l.skuId, (left.get(l.skuId) ?? 0) - l.quantity);
  return left;
}

/**
 * Ships an order (or adds the next parcels of a shipment sent as "more to follow"). Every refusal is a DomainError
 * with a Chinese message the operator command prints per line.
 */
export async function shipOrder(orderId: string, input: z.output<typeof ShipRequest>, actor: string, now: number) {
  const order = await orderRepo.get(orderId);
  if (!order) throw new DomainError('ORDER_NOT_FOUND');
  const adding = order.status === 'SHIPPED' && order.shipment?.allDelivered === false;
  if (!adding && !allows('SHIP', order)) throw shipRefused(notShippableReason(order));
  const earlier = adding ? await fulfilmentRepo.parcels(orderId) : [];
  if (earlier.length + input.parcels.length > 15) throw new DomainError('VALIDATION_FAILED', '一个订单最多 15 个包裹');

  const numbers = new Set<string>();
  for (const p of input.parcels) {
    if (!carrierOf(p.carrier)) throw new DomainError('VALIDATION_FAILED', `不支持的快递公司：${p.carrier}`);
    const id = `${p.carrier}#${p.trackingNo.toUpperCase()}`;
    if (numbers.has(id)) throw new DomainError('VALIDATION_FAILED', `快递单号重复：${p.trackingNo}`);
    numbers.add(id);
  }
  const left = remainingUnits(order, earlier);
  if (input.parcels.length > 1 && input.parcels.some((p) => !p.lines?.length)) throw new DomainError('VALIDATION_FAILED', '分包裹发货时请为每个包裹填写商品和数量');
  const parcels: ParcelItem[] = input.parcels.map((p, i) => {
    const lines = p.lines?.length ? p.lines : [...left].filter(([, n]) => n > 0).map(([skuId, quantity]) => ({ skuId, quantity }));
    for (const l of lines) {
      const n = left.get(l.skuId);
      if (n === undefined) throw new DomainError('VALIDATION_FAILED', `订单中没有商品 ${l.skuId}`);
      if (l.quantity > n) throw new DomainError('VALIDATION_FAILED', `商品 ${l.skuId} 最多还可发 ${Math.max(0, n)} 件`);
      left.set(l.skuId, n - l.quantity);
    }
    if (lines.length === 0) throw new DomainError('VALIDATION_FAILED', '订单中已没有待发货的商品');
    return { orderId, parcelNo: earlier.length + i + 1, carrier: p.carrier, trackingNo: p.trackingNo, lines, shippedAt: now, stage: 'AWAITING', deliveredAt: null, events: [] };
  });
  const log: OpsLogEntry = {
    at: now,
    actor,
    action: adding ? 'SHIP_MORE' : 'SHIP',
    target: `order:${orderId}`,
    summary: `${parcels.map((p) => `${carrierOf(p.carrier)!.name} ${p.trackingNo}`).join('，')}${input.isAllDelivered ? '' : '（还有包裹待发）'}`.slice(0, 200),
  };
  const receiptDueAt = autoReceiptAt({ shippedAt: now }, fulfilmentConfig());
  const args = { order, parcels, allDelivered: input.isAllDelivered, receiptDueAt, now, log };
  const result = adding ? await fulfilmentRepo.addParcels(args) : await fulfilmentRepo.ship(args);
  if (result === 'trackingNo') throw new DomainError('VALIDATION_FAILED', '快递单号已被其他包裹使用');
  if (result !== 'applied') {
    const fresh = await orderRepo.get(orderId);
    throw shipRefused(fresh ? notShippableReason(fresh) : '订单不存在');
  }
  const total = earlier.length + parcels.length;
  return { orderId, status: 'SHIPPED' as const, parcels: total, allDelivered: input.isAllDelivered };
}

/* ───────────── shoppers: tracking and receipt ───────────── */

async function ownOrder(userId: string, orderId: string): Promise<OrderItem> {
  const order = await orderRepo.get(orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  return order;
}

export async function trackingOf(userId: string, orderId: string): Promise<TrackingView> {
  const order = await ownOrder(userId, orderId);
  const parcels = order.shipment ? await fulfilmentRepo.parcels(orderId) : [];
  const titles = new Map<string, string>([...order.lines.map((l) => [l.skuId, l.title] as const), ...(order.gifts ?? []).map((g) => [g.skuId, `${g.title}（赠品）`] as const)]);
  return {
    orderId,
    autoReceiptAt: order.status === 'SHIPPED' ? (order.receiptDueAt ?? null) : null,
    parcels: parcels.map((p) => ({
      parcelNo: p.parcelNo,
      carrier: p.carrier,
      carrierName: carrierOf(p.carrier)?.name ?? p.carrier,
      trackingNo: p.trackingNo,
      lines: p.lines.map((l) => ({ skuId: l.skuId, title: titles.get(l.skuId) ?? l.skuId, quantity: l.quantity })),
      shippedAt: p.shippedAt,
      stage: p.stage,
      stageLabel: TRACKING_STAGE_LABEL[p.stage],
      deliveredAt: p.deliveredAt,
      events: [
        ...[...p.events].reverse().map((e) => ({ at: e.at, stage: e.stage, stageLabel: TRACKING_STAGE_LABEL[e.stage], text: e.text })),
        { at: p.shippedAt, stage: 'AWAITING' as const, stageLabel: '商家已发货', text: `包裹已交给${carrierOf(p.carrier)?.name ?? '快递'}，等待揽收` },
      ],
    })),
  };
}

/** 确认收货 by the shopper: SHIPPED → COMPLETED; asking again answers the received order (idempotent). */
export async function receiveOrder(userId: string, orderId: string, now: number): Promise<OrderView> {
  let order = await ownOrder(userId, orderId);
  if (order.status === 'SHIPPED') {
    await fulfilmentRepo.receive(order, 'shopper', now);
    order = await ownOrder(userId, orderId);
  }
  if (order.status !== 'COMPLETED') throw new DomainError('ORDER_STATE_CONFLICT', `订单状态为「${ORDER_STATUS_LABEL[order.status]}」，不能确认收货`);
  return toOrderView(order, await refundRepo.forOrder(orderId));
}

/** The order's exact-time receipt (its schedule) or the sweeper's: received only when due. */
export async function autoReceive(orderId: string, now: number): Promise<'received' | 'not_due' | 'noop'> {
  const order = await orderRepo.get(orderId);
  if (!order) return 'noop';
  if (order.status !== 'SHIPPED') {
    await fulfilmentRepo.dropStaleDue(orderId);
    return 'noop';
  }
  if ((order.receiptDueAt ?? Infinity) > now) return 'not_due';
  return (await fulfilmentRepo.receive(order, 'auto', now)) ? 'received' : 'noop';
}

/** The safety net behind the schedules: every shipped order whose receipt is due. Twice in a row changes nothing. */
export async function sweepReceipts(now: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = { received: 0, not_due: 0, noop: 0, failed: 0 };
  const seen = new Set<string>();
  for (;;) {
    const due = (await fulfilmentRepo.dueForReceipt(now, 100)).filter((id) => !seen.has(id));
    if (due.length === 0) break;
    for (const id of due) seen.add(id);
    const results = await Promise.allSettled(due.map((id) => autoReceive(id, now)));
    for (const r of results) {
      counts[r.status === 'fulfilled' ? r.value : 'failed'] += 1;
      if (r.status === 'rejected') logger.error('auto receipt failed', { error: r.reason as Error });
    }
  }
  return counts;
}

/* ───────────── pushes: 快递100 and WeChat ───────────── */

/** A 快递100 push (form body): verified, then the parcel's timeline; every parcel delivered moves the receipt due. */
export async function onTrackingPush(body: string): Promise<{ status: number; answer: { result: boolean; returnCode: string; message: string } }> {
  const form = Object.fromEntries(new URLSearchParams(body));
  const report = await (await logistics()).verifyPush(form);
  if (!report) return { status: 401, answer: { result: false, returnCode: '401', message: '签名错误' } };
  const parcel = await fulfilmentRepo.parcelByNumber(report.carrier, report.trackingNo);
  if (!parcel) {
    logger.warn('tracking push for an unknown parcel', { carrier: report.carrier });
    return { status: 200, answer: { result: true, returnCode: '200', message: '成功' } };
  }
  await fulfilmentRepo.recordTracking(parcel, report.events, report.stage, report.deliveredAt);
  if (report.deliveredAt) await maybeDelivered(parcel.orderId);
  return { status: 200, answer: { result: true, returnCode: '200', message: '成功' } };
}

async function maybeDelivered(orderId: string): Promise<void> {
  const order = await orderRepo.get(orderId);
  if (!order || order.status !== 'SHIPPED' || !order.shipment?.allDelivered || order.deliveredAt) return;
  const parcels = await fulfilmentRepo.parcels(orderId);
  if (parcels.length < order.shipment.parcels || parcels.some((p) => !p.deliveredAt)) return;
  const deliveredAt = Math.max(...parcels.map((p) => p.deliveredAt!));
  await fulfilmentRepo.markDelivered(orderId, deliveredAt, autoReceiptAt({ shippedAt: order.shippedAt ?? deliveredAt, deliveredAt }, fulfilmentConfig()));
}

/** WeChat's message push signature (明文模式): sha1 of token, timestamp and nonce sorted and joined. */
export function wechatPushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

const TradeEvent = z.object({
  Event: z.string().max(64),
  transaction_id: z.string().max(64).optional(),
  merchant_trade_no: z.string().max(64).optional(),
  confirm_receive_method: z.number().int().optional(),
  confirm_receive_time: z.number().int().optional(),
});

/**
 * WeChat → us: the mini-program's message push (JSON, 明文模式), verified by its signature over the push token and a
 * timestamp within 5 minutes. `trade_manage_order_settlement` with a confirm_receive_time says the buyer confirmed
 * receipt (in WeChat's confirm component, or WeChat's own automatic receipt): the order is received. Other events are
 * acknowledged and ignored. Returns false when the signature is wrong.
 */
export async function onWechatPush(query: Record<string, string | undefined>, body: string, now: number): Promise<boolean> {
  const { signature = '', timestamp = '', nonce = '' } = query;
  const token = await namedSecret('WECHAT_PUSH_TOKEN', 'wechat-push-token');
  const expected = Buffer.from(wechatPushSignature(token, timestamp, nonce));
  const given = Buffer.from(signature.toLowerCase());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - Number(timestamp) * 1000) > 5 * 60 * 1000) return false;
  let parsed: z.infer<typeof TradeEvent>;
  try {
    parsed = TradeEvent.parse(JSON.parse(body));
  } catch {
    logger.warn('WeChat push not understood');
    return true;
  }
  if (parsed.Event !== 'trade_manage_order_settlement' || !parsed.confirm_receive_time || !parsed.merchant_trade_no) return true;
  const order = await orderRepo.get(parsed.merchant_trade_no).catch(() => null);
  if (!order || order.transactionId !== parsed.transaction_id) {
    logger.warn('receipt event for an unknown payment', { orderId: parsed.merchant_trade_no });
    return true;
  }
  if (order.status === 'SHIPPED') await fulfilmentRepo.receive(order, 'wechat', parsed.confirm_receive_time * 1000);
  return true;
}

/* ───────────── reactions (from the table's stream) ───────────── */

function shippingInfo(order: OrderItem, parcels: ParcelItem[], openid: string, at: number): ShippingInfo {
  const titles = new Map(order.lines.map((l) => [l.skuId, l.title]));
  for (const g of order.gifts ?? []) titles.set(g.skuId, g.title);
  const multi = parcels.length > 1 || order.shipment?.allDelivered === false;
  return {
    order_key: { order_number_type: 2, transaction_id: order.transactionId! },
    logistics_type: 1,
    delivery_mode: multi ? 2 : 1,
    ...(multi ? { is_all_delivered: order.shipment?.allDelivered ?? true } : {}),
    shipping_list: parcels.map((p) => {
      const carrier = carrierOf(p.carrier)!;
      const desc = p.lines.map((l) => `${titles.get(l.skuId) ?? l.skuId}×${l.quantity}`).join('，');
      return {
        tracking_no: p.trackingNo,
        express_company: carrier.wechat,
        item_desc: desc.length > 120 ? `${desc.slice(0, 119)}…` : desc,
        ...(carrier.needsPhone ? { contact: { receiver_contact: maskPhone(order.address.phone) } } : {}),
      };
    }),
    // RFC 3339 in Beijing time; the reaction's clock, never before the shipment it reports.
    upload_time: `${new Date(at + 8 * 3600 * 1000).toISOString().slice(0, 23)}+08:00`,
    payer: { openid },
  };
}

/** One upload per shipment version: claimed first, so a redelivered record sends nothing; a failure is retried. */
async function uploadShipping(order: OrderItem, now: number, mp: WechatMp): Promise<string> {
  const version = order.shipment?.version ?? 1;
  if (!order.transactionId) return 'no-payment';
  if (!(await fulfilmentRepo.claimUpload(order.id, version, now))) return 'upload-replayed';
  try {
    const [user, parcels] = await Promise.all([userRepo.get(order.userId), fulfilmentRepo.parcels(order.id)]);
    if (!user?.openid) throw new Error('payer has no openid');
    await mp.uploadShippingInfo(shippingInfo(order, parcels, user.openid, Math.max(now, order.shippedAt ?? 0)));
    await fulfilmentRepo.finishUpload(order.id, version, 'SENT', '');
    return 'uploaded';
  } catch (e) {
    await fulfilmentRepo.finishUpload(order.id, version, 'FAILED', (e as Error).message.slice(0, 200));
    throw e;
  }
}

async function subscribeParcels(order: OrderItem): Promise<void> {
  const client = await logistics();
  const callback = trackingCallbackUrl();
  for (const p of await fulfilmentRepo.parcels(order.id)) {
    const phone = carrierOf(p.carrier)?.needsPhone ? order.address.phone.replace(/\D/g, '').slice(-4) : undefined;
    await client.subscribe({ carrier: p.carrier, trackingNo: p.trackingNo, phone }, callback);
  }
}

/** A subscribe message about the order, at most once per kind. Never fails the reaction. */
async function notice(order: OrderItem, kind: 'SHIPPED' | 'DELIVERED', now: number, mp: WechatMp): Promise<string> {
  try {
    const cfg = fulfilmentConfig();
    const templateId = kind === 'SHIPPED' ? cfg.templates.shipped : cfg.templates.delivered;
    const user = await userRepo.get(order.userId);
    if (!templateId || !user?.openid) return 'notice-skipped';
    try {
      await db().send(new PutCommand({ TableName: table(), Item: { ...keys.orderNotice(order.id, kind), status: 'SENDING', at: now }, ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || (e as Error).name === 'ConditionalCheckFailedException') return 'notice-replayed';
      throw e;
    }
    const parcels = await fulfilmentRepo.parcels(order.id);
    const first = parcels[0];
    const title = order.lines[0]?.title ?? '商品';
    const outcome = await mp.sendSubscribeMessage({
      openid: user.openid,
      userId: order.userId,
      templateId,
      page: `packageOrder/pages/detail/index?id=${order.id}`,
      data: {
        thing1: title.length > 20 ? `${title.slice(0, 19)}…` : title,
        phrase2: kind === 'SHIPPED' ? '已发货' : '已签收',
        thing3: first ? `${carrierOf(first.carrier)?.name ?? first.carrier}${parcels.length > 1 ? ` 等${parcels.length}个包裹` : ''}` : '快递',
        character_string4: first?.trackingNo ?? '',
        thing5: kind === 'SHIPPED' ? '点击查看物流进度' : '请确认收货，如有问题可申请售后',
      },
    });
    await db().send(
      new UpdateCommand({ TableName: table(), Key: keys.orderNotice(order.id, kind), UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': outcome } }),
    );
    return `notice-${outcome.toLowerCase()}`;
  } catch (e) {
    logger.warn('order notice failed', { orderId: order.id, kind, error: e as Error });
    return 'notice-failed';
  }
}

/**
 * What follows an order's fulfilment change: a new shipment (or its next parcels) → WeChat's shipping info, the
 * parcels' tracking subscription, the receipt schedule and 已发货; delivery → the earlier receipt schedule and 已签收;
 * receipt → the order's pending points due after the window. Each step is idempotent.
 */
export async function onChangeForFulfilment(
  change: { next: Record<string, any> | null; previous: Record<string, any> | null },
  now: number,
  mp: WechatMp = wechatMpShared(),
): Promise<string> {
  const { next, previous } = change;
  if (next?.type !== 'order') return 'none';
  const order = next as OrderItem;
  const before = previous as OrderItem | null;
  const out: string[] = [];
  if (order.status === 'SHIPPED') {
    const newShipment = before?.status !== 'SHIPPED' || (before.shipment?.version ?? 0) !== (order.shipment?.version ?? 0);
    if (newShipment) {
      out.push(await uploadShipping(order, now, mp));
      await subscribeParcels(order);
      if (before?.status !== 'SHIPPED') out.push(await notice(order, 'SHIPPED', now, mp));
    }
    if (order.receiptDueAt && order.receiptDueAt !== before?.receiptDueAt) out.push(`receipt-${await scheduleReceipt(order.id, order.receiptDueAt)}`);
    if (order.deliveredAt && !before?.deliveredAt) out.push(await notice(order, 'DELIVERED', now, mp));
  }
  if (order.status === 'COMPLETED' && before?.status === 'SHIPPED' && order.receivedAt) {
    const at = afterSaleUntil(order)!;
    out.push((await pointsRepo.reschedulePending(order.userId, order.id, at)) ? 'points-window-set' : 'points-none');
  }
  return out.length ? out.join(',') : 'none';
}

