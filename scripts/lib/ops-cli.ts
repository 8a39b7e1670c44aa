/**
 * The operator command's pieces that do not talk to a network (scripts/ops.ts wires them to SigV4 or the local key):
 * reading a shipments CSV, shipping many orders one request each with a result per line, writing CSV, paging a list
 * through nextCursor, checking a command's arguments before anything is sent, and the words each line is printed in.
 */
import { AFTER_SALE_STATE_LABEL, AFTER_SALE_STATES, type AfterSaleState } from '../../shared/src/after-sales';
import { AfterSalePath, OpsRejectRequest, type AfterSaleView } from '../../shared/src/contracts/after-sales';
import { HideReviewRequest, OpsReviewPath, type FeedbackView } from '../../shared/src/contracts/reviews';

/** One call to the operator API: signed (SigV4) or with the local key in scripts/ops.ts, a handler in the tests. */
export type OpsSend = (method: 'GET' | 'POST', pathAndQuery: string, body?: unknown) => Promise<{ status: number; body: any }>;

export interface ShipLine {
  /** 1-based line of the CSV (after the header). */
  line: number;
  orderId: string;
  carrier: string;
  trackingNo: string;
  /** `skuId:qty;skuId:qty`, empty = the whole order in this parcel. */
  items: { skuId: string; quantity: number }[];
}

export interface ShipOutcome {
  line: number;
  orderId: string;
  ok: boolean;
  message: string;
}

/** Splits one CSV line (quotes allowed, "" inside quotes). */
function cells(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (out.push(cur.trim()), (cur = ''));
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * One CSV line. Text a shopper wrote can start with = + - @ (a formula to a spreadsheet): such a cell gets a leading
 * apostrophe so it is shown as text.
 */
export function csvLine(values: (string | number)[]): string {
  return values
    .map((v) => {
      const text = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

/** A whole CSV file as a spreadsheet opens it: UTF-8 with a BOM, a header line, one line per row. */
export function csvFile(header: string[], rows: (string | number)[][]): string {
  return `\uFEFF${[header, ...rows].map(csvLine).join('\n')}\n`;
}

/**
 * shipments.csv: header `order_id,carrier,tracking_no[,items]`, one line per parcel; several lines of one order are
 * its parcels (shipped together, items required then). Lines it cannot read come back as errors.
 */
export function parseShipCsv(text: string): { lines: ShipLine[]; errors: ShipOutcome[] } {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((r) => r.trim() !== '');
  const header = cells(rows.shift() ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [io, ic, it, ii] = [col('order_id'), col('carrier'), col('tracking_no'), col('items')];
  if (io < 0 || ic < 0 || it < 0) throw new Error('CSV 表头需要 order_id,carrier,tracking_no（可选 items）');
  const lines: ShipLine[] = [];
  const errors: ShipOutcome[] = [];
  rows.forEach((row, i) => {
    const c = cells(row);
    const line = i + 1;
    const orderId = c[io] ?? '';
    const items: ShipLine['items'] = [];
    for (const part of (ii >= 0 ? (c[ii] ?? '') : '').split(';').filter(Boolean)) {
      const [skuId, qty] = part.split(':');
      const quantity = Number(qty);
      if (!skuId || !Number.isInteger(quantity) || quantity <= 0) {
        errors.push({ line, orderId, ok: false, message: `第 ${line} 行：商品格式应为 skuId:数量` });
        return;
      }
      items.push({ skuId, quantity });
    }
    if (!orderId || !c[ic] || !c[it]) {
      errors.push({ line, orderId, ok: false, message: `第 ${line} 行：缺少订单号、快递公司或快递单号` });
      return;
    }
    lines.push({ line, orderId, carrier: c[ic]!, trackingNo: c[it]!, items });
  });
  return { lines, errors };
}

export type ShipSender = (orderId: string, body: { parcels: { carrier: string; trackingNo: string; lines?: { skuId: string; quantity: number }[] }[]; isAllDelivered: boolean }) => Promise<{ status: number; body: any }>;

/** Ships each order of the CSV (its lines = its parcels) with one request; one outcome per order, in CSV order. */
export async function shipMany(lines: ShipLine[], send: ShipSender): Promise<ShipOutcome[]> {
  const byOrder = new Map<string, ShipLine[]>();
  for (const l of lines) byOrder.set(l.orderId, [...(byOrder.get(l.orderId) ?? []), l]);
  const out: ShipOutcome[] = [];
  for (const [orderId, parcels] of byOrder) {
    const res = await send(orderId, {
      parcels: parcels.map((p) => ({ carrier: p.carrier, trackingNo: p.trackingNo, ...(p.items.length ? { lines: p.items } : {}) })),
      isAllDelivered: true,
    });
    const where = parcels.map((p) => p.line).join('、');
    out.push(
      res.status === 200
        ? { line: parcels[0]!.line, orderId, ok: true, message: `第 ${where} 行：已发货（${parcels.length} 个包裹）` }
        : { line: parcels[0]!.line, orderId, ok: false, message: `第 ${where} 行：${res.body?.message ?? `发货失败（HTTP ${res.status}）`}` },
    );
  }
  return out;
}

/* ───────── lists, words and checks shared by the commands ───────── */

/** Beijing time `2026-01-31 14:05` of an epoch ms ('' for none). */
export const beijingTime = (at: number | null | undefined) => (at ? new Date(at + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ') : '');
/** Fen as yuan with two decimals. */
export const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The error a refused call is reported with: the API's own words, else the HTTP status. */
export function refusal(res: { status: number; body: any }): Error {
  return new Error(res.body?.message ?? `HTTP ${res.status}`);
}

/** Every item of a list route: pages of `limit` following nextCursor until there is none. */
export async function listAll<T>(send: OpsSend, path: string, query: Record<string, string>): Promise<T[]> {
  const q = new URLSearchParams(query);
  const items: T[] = [];
  for (;;) {
    const res = await send('GET', `${path}?${q}`);
    if (res.status !== 200) throw refusal(res);
    items.push(...(res.body.items as T[]));
    if (!res.body.nextCursor) return items;
    q.set('cursor', res.body.nextCursor);
  }
}

/** `--id` of a command, required (its format is checked by the caller's schema). */
function required(value: string | undefined, usage: string): string {
  if (!value?.trim()) throw new Error(`用法：${usage}`);
  return value.trim();
}

/* ───────── 售后 ───────── */

type OpsAfterSale = AfterSaleView & { userId: string };

/** `--state` as the code (REQUESTED, any case) or the words (申请中); none = 申请中. */
export function afterSaleState(input: string | undefined): AfterSaleState {
  if (input === undefined) return 'REQUESTED';
  const wanted = input.trim();
  const found = AFTER_SALE_STATES.find((s) => s === wanted.toUpperCase() || AFTER_SALE_STATE_LABEL[s] === wanted);
  if (!found) throw new Error(`未知的售后状态「${input}」，可选：${AFTER_SALE_STATES.map((s) => `${s}（${AFTER_SALE_STATE_LABEL[s]}）`).join('、')}`);
  return found;
}

/** The requests in one state, oldest first, every page (`pageSize` ≤ 50, the route's largest page). */
export function listAfterSales(send: OpsSend, state: AfterSaleState, pageSize = 50): Promise<OpsAfterSale[]> {
  return listAll<OpsAfterSale>(send, '/ops/v1/after-sales', { state, limit: String(pageSize) });
}

const refundText = (v: AfterSaleView) => `¥${yuan(v.refund?.amountFen ?? v.refundFen)}${v.refund ? `（${v.refund.statusLabel}）` : ''}`;
const returnParcel = (v: AfterSaleView) => (v.returnShipment ? `${v.returnShipment.carrier} ${v.returnShipment.trackingNo}` : '');

/** One request on one terminal line. */
export function afterSaleLine(v: OpsAfterSale): string {
  const parts = [
    v.id,
    `订单 ${v.orderId}`,
    v.typeLabel,
    v.stateLabel,
    `${v.line.title}${v.line.specText ? `（${v.line.specText}）` : ''}×${v.quantity}`,
    `退款 ${refundText(v)}`,
    `原因：${v.reasonLabel}${v.description ? `，${v.description.replace(/\s+/g, ' ')}` : ''}`,
  ];
  if (v.photos.length) parts.push(`图片 ${v.photos.length} 张`);
  if (v.returnShipment) parts.push(`退货 ${returnParcel(v)}`);
  if (v.rejectReason) parts.push(`拒绝原因：${v.rejectReason}`);
  if (v.deadline) parts.push(`期限 ${beijingTime(v.deadline.at)}（${v.deadline.text}）`);
  return parts.join('  ');
}

/** The after-sales export (the photo links are presigned and work for an hour). */
export function afterSalesCsv(rows: OpsAfterSale[]): string {
  return csvFile(
    ['after_sale_id', 'order_id', 'user_id', 'type', 'state', 'product', 'spec', 'sku_id', 'quantity', 'refund_yuan', 'refund_status', 'reason', 'description', 'photos', 'return_carrier', 'return_tracking_no', 'return_shipped_at', 'reject_reason', 'deadline', 'deadline_note', 'created_at'],
    rows.map((v) => [
      v.id,
      v.orderId,
      v.userId,
      v.typeLabel,
      v.stateLabel,
      v.line.title,
      v.line.specText,
      v.line.skuId,
      v.quantity,
      yuan(v.refund?.amountFen ?? v.refundFen),
      v.refund?.statusLabel ?? '',
      v.reasonLabel,
      v.description,
      v.photos.map((p) => p.url).join(' '),
      v.returnShipment?.carrier ?? '',
      v.returnShipment?.trackingNo ?? '',
      beijingTime(v.returnShipment?.at),
      v.rejectReason ?? '',
      beijingTime(v.deadline?.at),
      v.deadline?.text ?? '',
      beijingTime(v.createdAt),
    ]),
  );
}

const AFTER_SALE_ACTIONS = {
  approve: { usage: 'approve --id <售后单号>', done: '已同意' },
  reject: { usage: 'reject --id <售后单号> --reason <拒绝原因>', done: '已拒绝' },
  receive: { usage: 'receive --id <售后单号>（退货已收到，开始退款）', done: '已确认收到退货' },
  refund: { usage: 'refund --id <售后单号>（退款失败后重新发起）', done: '已重新发起退款' },
} as const;
type AfterSaleAction = keyof typeof AFTER_SALE_ACTIONS;

/**
 * approve | reject | receive | refund one request: the arguments are checked before anything is sent (a missing or
 * malformed id, a reject without a reason), then one POST; the answer in words, or the API's refusal as an error.
 */
export async function afterSaleAction(send: OpsSend, action: AfterSaleAction, args: { id?: string; reason?: string }): Promise<string> {
  const { usage, done } = AFTER_SALE_ACTIONS[action];
  const id = required(args.id, usage);
  const path = AfterSalePath.safeParse({ afterSaleId: id });
  if (!path.success) throw new Error(`售后单号无效：${id}（形如 <订单号>-1）`);
  let body: unknown;
  if (action === 'reject') {
    const parsed = OpsRejectRequest.safeParse({ reason: args.reason ?? '' });
    if (!parsed.success) throw new Error(`${parsed.error.issues[0]!.message}。用法：${usage}`);
    body = parsed.data;
  }
  const res = await send('POST', `/ops/v1/after-sales/${encodeURIComponent(id)}/${action}`, body);
  if (res.status !== 200) throw refusal(res);
  const v = res.body as OpsAfterSale;
  const then = [
    v.state === 'REFUNDING' || v.state === 'REFUNDED' ? `退款 ${refundText(v)}` : '',
    v.state === 'AWAITING_RETURN' && v.returnAddress ? `买家将寄回至 ${v.returnAddress.name} ${v.returnAddress.phone} ${v.returnAddress.address}` : '',
    v.rejectReason && action === 'reject' ? `原因：${v.rejectReason}` : '',
  ].filter(Boolean);
  return `✓ 售后 ${v.id}（${v.typeLabel}，订单 ${v.orderId}）${done}，当前「${v.stateLabel}」${then.length ? `；${then.join('；')}` : ''}`;
}

/* ───────── 评价与意见反馈 ───────── */

/** hide-review (or show it again with `show`): the review id is `<订单号>_<skuId>`, a reason is required. */
export async function setReviewHidden(send: OpsSend, args: { id?: string; reason?: string; show?: boolean }): Promise<string> {
  const usage = `${args.show ? 'show-review' : 'hide-review'} --id <评价编号，订单号_skuId> --reason <原因>`;
  const id = required(args.id, usage);
  if (!OpsReviewPath.safeParse({ reviewId: id }).success || !/^[^_/]+_[^/]+$/.test(id)) throw new Error(`评价编号无效：${id}（形如 <订单号>_<skuId>）`);
  const body = HideReviewRequest.safeParse({ hidden: !args.show, reason: args.reason ?? '' });
  if (!body.success) throw new Error(`${body.error.issues[0]!.message}。用法：${usage}`);
  const res = await send('POST', `/ops/v1/reviews/${encodeURIComponent(id)}/hide`, body.data);
  if (res.status !== 200) throw refusal(res);
  const r = res.body as { id: string; productId: string; hidden: boolean; changed: boolean };
  const what = r.hidden ? '已隐藏' : '已恢复显示';
  return r.changed ? `✓ 评价 ${r.id}（商品 ${r.productId}）${what}` : `评价 ${r.id}（商品 ${r.productId}）本来就${what}，未做改动`;
}

/** 意见反馈, newest first, every page. */
export function listFeedback(send: OpsSend, pageSize = 100): Promise<FeedbackView[]> {
  return listAll<FeedbackView>(send, '/ops/v1/feedback', { limit: String(pageSize) });
}

/** One feedback on one terminal line (the phone only when the shopper agreed to be contacted). */
export function feedbackLine(f: FeedbackView): string {
  const contact = f.contactConsent ? `可联系${f.phone ? ` ${f.phone}` : ''}` : '不希望被联系';
  return [beijingTime(f.createdAt), f.typeLabel, f.text.replace(/\s+/g, ' '), f.photos.length ? `图片 ${f.photos.length} 张` : '', contact, `用户 ${f.userId}`, f.id]
    .filter(Boolean)
    .join('  ');
}

export function feedbackCsv(rows: FeedbackView[]): string {
  return csvFile(
    ['feedback_id', 'created_at', 'user_id', 'type', 'text', 'photos', 'contact_consent', 'phone'],
    rows.map((f) => [f.id, beijingTime(f.createdAt), f.userId, f.typeLabel, f.text, f.photos.join(' '), f.contactConsent ? '是' : '否', f.phone ?? '']),
  );
}
