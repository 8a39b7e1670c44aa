/**
 * Subscribe messages (订阅消息) about a group's outcome: 拼团成功 to each real member, 拼团失败，已退款 with the amount,
 * and a notice to a payer who got no seat (moved to lead a new group, or refunded). The client asks for consent with
 * wx.requestSubscribeMessage when paying; without it WeChat answers 43101 and nothing is sent.
 *
 * A message is claimed before it is sent (GROUPNOTICE#<groupId> / <userId>#<outcome>, attribute_not_exists), so a
 * replayed settle never sends it twice. Sending never fails the caller: errors are logged and the claim records them.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GROUP_LANDING_CODE_PAGE, PAYER_NOTICES, formatFen } from '@shop/shared';
import { config } from '../lib/config';
import { db, table } from '../lib/dynamo';
import { logger } from '../lib/http';
import { wechatMpShared, type WechatMp } from '../providers/wechat-mp';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import { userRepo } from '../repositories/user-repo';

type GroupNoticeOutcome = 'SUCCESS' | 'FAILED' | 'MOVED' | 'REFUSED';

export interface GroupNotice {
  groupId: string;
  token: string | null;
  userId: string;
  orderId: string;
  outcome: GroupNoticeOutcome;
  /** For REFUSED: why there was no seat (a GROUP_REFUSALS line). */
  reason?: string;
}

/** WeChat's keyword limits: thing ≤ 20 characters, phrase ≤ 5. */
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function content(n: GroupNotice, title: string, amountFen: number): { template: 'groupSuccess' | 'groupFailed'; phrase: string; note: string } {
  switch (n.outcome) {
    case 'SUCCESS':
      return { template: 'groupSuccess', phrase: '拼团成功', note: '商家将尽快为你发货' };
    case 'FAILED':
      return { template: 'groupFailed', phrase: '拼团失败', note: `拼团失败，已退款 ${formatFen(amountFen)}` };
    case 'MOVED':
      return { template: 'groupFailed', phrase: '已开新团', note: PAYER_NOTICES.NEW_GROUP };
    case 'REFUSED':
      return { template: 'groupFailed', phrase: '未能参团', note: PAYER_NOTICES.refund(n.reason ?? '拼团已结束') };
  }
}

async function claim(n: GroupNotice, now: number): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.groupNotice(n.groupId, n.userId, n.outcome), orderId: n.orderId, status: 'SENDING', at: now },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException || (e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

async function record(n: GroupNotice, status: string): Promise<void> {
  await db().send(
    new UpdateCommand({ TableName: table(), Key: keys.groupNotice(n.groupId, n.userId, n.outcome), UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': status } }),
  );
}

/** Sends one notice at most once. Never throws. */
export async function sendGroupNotice(n: GroupNotice, now: number, mp: WechatMp = wechatMpShared()): Promise<string> {
  try {
    const templates = config().wechat.templates;
    const [user, order] = await Promise.all([userRepo.get(n.userId), orderRepo.get(n.orderId)]);
    const title = order?.lines[0]?.title ?? '拼团商品';
    const amountFen = order?.paidFen ?? order?.payableFen ?? 0;
    const c = content(n, title, amountFen);
    const templateId = templates?.[c.template] ?? '';
    if (!templateId || !user?.openid) return 'SKIPPED';
    if (!(await claim(n, now))) return 'ALREADY';
    const page = n.token ? `${GROUP_LANDING_CODE_PAGE}?t=${n.token}` : '';
    let status: string;
    try {
      status = await mp.sendSubscribeMessage({
        openid: user.openid,
        userId: n.userId,
        templateId,
        page,
        data: { thing1: cut(title, 20), phrase2: cut(c.phrase, 5), amount3: formatFen(amountFen), thing4: cut(c.note, 20) },
      });
    } catch (e) {
      status = 'FAILED';
      logger.warn('group notice not sent', { groupId: n.groupId, userId: n.userId, outcome: n.outcome, error: e as Error });
    }
    await record(n, status).catch(() => undefined);
    return status;
  } catch (e) {
    logger.warn('group notice skipped', { groupId: n.groupId, userId: n.userId, outcome: n.outcome, error: e as Error });
    return 'ERROR';
  }
}

/** Notices to several members side by side; never throws. */
export async function sendGroupNotices(notices: GroupNotice[], now: number): Promise<void> {
  await Promise.allSettled(notices.map((n) => sendGroupNotice(n, now)));
}
