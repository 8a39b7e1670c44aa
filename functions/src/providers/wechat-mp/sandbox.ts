import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../../lib/dynamo';
import { keys } from '../../repositories/keys';
import type { SubscribeMessage, WechatMp } from './types';

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
 * Users whose openid contains `unsubscribed` answer like errcode 43101.
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
  };
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
