import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../../lib/dynamo';
import { keys } from '../../repositories/keys';
import { DomainError } from '@shop/shared';
import type { ShippingInfo, SubscribeMessage, WechatMp } from './types';

/**
 * Only sandbox code carries this string: `npm run size -- --check` refuses a production bundle that contains it.
 * @public read in the built bundle, not imported: the export keeps esbuild from dropping it.
 */
export const SANDBOX_MODULE = 'shop-sandbox-module:wechat-mp/sandbox';

export interface SandboxMessage {
  userId: string;
  openid: string;
  templateId: string;
  page: string;
  data: Record<string, string>;
  at: number;
}

/**
 * The local stage's mini-program server APIs: the poster code is the H5 link (drawn as a QR code by the client), and
 * subscribe messages are recorded in the table under NOTIFYMSG#<userId> so tests and the local shop can read them.
 * Users whose openid contains `unsubscribed` answer like errcode 43101. upload_shipping_info is validated as WeChat
 * does (order_key, delivery_mode and its parcel count, express_company, upload_time increasing, one update) and each
 * accepted call recorded under WXSANDBOX#SHIPPING#<order_key>.
 */
export function createSandboxWechatMp(now: () => number = Date.now): WechatMp {
  return {
    async posterCode(req) {
      return { kind: 'url', data: req.h5Url };
    },
    async sendSubscribeMessage(msg: SubscribeMessage) {
      if (msg.openid.includes('unsubscribed')) return 'NOT_SUBSCRIBED';
      const at = now();
      const item: SandboxMessage = { userId: msg.userId, openid: msg.openid, templateId: msg.templateId, page: msg.page, data: msg.data, at };
      await db().send(new PutCommand({ TableName: table(), Item: { ...keys.sandboxMessage(msg.userId, at, randomBytes(6).toString('hex')), ...item } }));
      return 'SENT';
    },
    async uploadShippingInfo(info: ShippingInfo) {
      await recordShippingCall(info, now());
    },
  };
}

/** The express_company codes the twin knows (WeChat's get_delivery_list answers many more). */
const SANDBOX_COMPANIES = new Set(['SF', 'ZTO', 'YTO', 'YD', 'STO', 'EMS', 'JD']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

export interface SandboxShippingCall {
  orderKey: string;
  info: ShippingInfo;
  at: number;
}

const orderKeyOf = (k: ShippingInfo['order_key']) => (k.order_number_type === 2 ? `tx:${k.transaction_id}` : `mch:${k.mchid}:${k.out_trade_no}`);

/** Why WeChat would refuse this upload (the twin's errcodes; errmsg in WeChat's style), or null. */
function invalidShipping(info: ShippingInfo, earlier: SandboxShippingCall[]): string | null {
  const k = info.order_key;
  if (!k || (k.order_number_type === 2 ? !k.transaction_id : !(k.order_number_type === 1 && k.mchid && k.out_trade_no))) return 'invalid order_key';
  if (![1, 2, 3, 4].includes(info.logistics_type)) return 'invalid logistics_type';
  const list = info.shipping_list ?? [];
  if (info.delivery_mode === 1 && list.length !== 1) return 'delivery_mode 1 needs exactly one shipping item';
  if (info.delivery_mode === 2 && (list.length < 1 || list.length > 15 || typeof info.is_all_delivered !== 'boolean')) return 'delivery_mode 2 needs 1-15 items and is_all_delivered';
  if (info.delivery_mode !== 1 && info.delivery_mode !== 2) return 'invalid delivery_mode';
  for (const item of list) {
    if (info.logistics_type !== 1) break;
    if (!item.tracking_no || item.tracking_no.length > 128) return 'invalid tracking_no';
    if (!SANDBOX_COMPANIES.has(item.express_company)) return `unknown express_company ${item.express_company}`;
    if (!item.item_desc || item.item_desc.length > 120) return 'invalid item_desc';
    if (item.express_company === 'SF' && !item.contact?.consignor_contact && !item.contact?.receiver_contact) return 'SF needs contact';
  }
  if (!RFC3339.test(info.upload_time ?? '')) return 'invalid upload_time';
  if (!info.payer?.openid) return 'invalid payer';
  const last = earlier.at(-1);
  if (last && Date.parse(info.upload_time) <= Date.parse(last.info.upload_time)) return 'upload_time must increase';
  // One upload and one update (re-shipment) per payment.
  if (earlier.length >= 2) return 'shipping info can be changed only once';
  return null;
}

/** Validates an upload like WeChat and records it under WXSANDBOX#SHIPPING#<order_key> (refused ones throw). */
async function recordShippingCall(info: ShippingInfo, at: number): Promise<void> {
  const orderKey = orderKeyOf(info.order_key);
  const earlier = await sandboxShippingCalls(orderKey);
  const problem = invalidShipping(info, earlier);
  if (problem) throw new DomainError('INTERNAL', undefined, { api: 'upload_shipping_info', errcode: 10060001, errmsg: problem });
  await db().send(
    new PutCommand({ TableName: table(), Item: { ...keys.sandboxShippingCall(orderKey, at, randomBytes(6).toString('hex')), orderKey, info, at } }),
  );
}

/** What the twin accepted for an order_key (`tx:<transaction_id>`), oldest first. */
export async function sandboxShippingCalls(orderKey: string): Promise<SandboxShippingCall[]> {
  const out = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.sandboxShippingPartition(orderKey) },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({ orderKey: i.orderKey, info: i.info, at: i.at }));
}

/** The messages the sandbox recorded for a user, oldest first. */
export async function sandboxMessages(userId: string): Promise<SandboxMessage[]> {
  const out = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.sandboxMessagePartition(userId) },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({ userId: i.userId, openid: i.openid, templateId: i.templateId, page: i.page, data: i.data, at: i.at }));
}
