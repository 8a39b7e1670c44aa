import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../../lib/dynamo';
import { keys } from '../../repositories/keys';
import { formatKuaidi100Time, md5Upper, reportOf, verifyKuaidi100Push } from './kuaidi100';
import type { Logistics, ParcelRef, TrackingReport } from './types';

/**
 * Only sandbox code carries this string: `npm run size -- --check` refuses a production bundle that contains it.
 * @public read in the built bundle, not imported: the export keeps esbuild from dropping it.
 */
export const SANDBOX_MODULE = 'shop-sandbox-module:logistics/sandbox';

/**
 * The local stage's 快递100: a subscription starts a realistic timeline at the moment it is made — 揽收 after 2 h,
 * 运输中 at 10 h and 26 h, 派送中 at 40 h, 已签收 at 44 h — that `advance(now)` walks on whatever clock the caller
 * gives, pushing each new state to the subscription's callback signed exactly as 快递100 signs (MD5 of param + salt).
 * A tracking number containing `LOST` never gets past 运输中 (for the "never delivered" path).
 */
const STEPS: { afterH: number; state: string; text: string }[] = [
  { afterH: 2, state: '1', text: '【上海市】快件已由【上海浦东营业点】揽收，揽收员：张师傅' },
  { afterH: 10, state: '0', text: '【上海市】快件已到达【上海转运中心】，正发往下一站' },
  { afterH: 26, state: '0', text: '快件已到达【目的地转运中心】，正在分拣' },
  { afterH: 40, state: '5', text: '【派送中】快递员李师傅正在为您派件，电话 138****0000' },
  { afterH: 44, state: '3', text: '【已签收】您的快件已签收，签收人：本人。感谢使用，期待再次为您服务' },
];
const HOUR = 3600 * 1000;

interface Subscription {
  carrier: string;
  trackingNo: string;
  callbackUrl: string;
  startAt: number;
  /** How many steps were pushed and answered. */
  pushed: number;
}

function stepsAt(sub: Pick<Subscription, 'trackingNo' | 'startAt'>, now: number) {
  const steps = sub.trackingNo.toUpperCase().includes('LOST') ? STEPS.slice(0, 3) : STEPS;
  return steps.filter((s) => sub.startAt + s.afterH * HOUR <= now);
}

/** 快递100's lastResult for the steps reached (newest first, as it sends them). */
function lastResult(sub: Subscription, reached: typeof STEPS) {
  const newest = reached.at(-1);
  return {
    message: 'ok',
    state: newest?.state ?? '0',
    status: '200',
    ischeck: newest?.state === '3' ? '1' : '0',
    com: sub.carrier,
    nu: sub.trackingNo,
    data: [...reached].reverse().map((s) => {
      const time = formatKuaidi100Time(sub.startAt + s.afterH * HOUR);
      return { context: s.text, time, ftime: time, statusCode: s.state };
    }),
  };
}

/** Posts a push as 快递100 does (form: param, sign); true when the shop answered {result: true}. */
async function httpDeliver(url: string, form: Record<string, string>): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    const body = (await res.json().catch(() => ({}))) as { result?: boolean };
    return res.ok && body.result === true;
  } catch {
    return false;
  }
}

type PushDeliver = (callbackUrl: string, form: Record<string, string>) => Promise<boolean>;

export interface SandboxLogistics extends Logistics {
  /** Pushes every subscription's states reached by `now` that were not yet answered; returns how many were answered. */
  advance(now: number, deliver?: PushDeliver): Promise<number>;
}

export function createSandboxLogistics(salt: string, clock: () => number = Date.now): SandboxLogistics {
  const subscriptions = async (): Promise<Subscription[]> => {
    const out = await db().send(
      new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.sandboxTrackingPartition }, ConsistentRead: true }),
    );
    return (out.Items ?? []) as unknown as Subscription[];
  };
  return {
    async subscribe(parcel: ParcelRef, callbackUrl: string) {
      const item: Subscription = { carrier: parcel.carrier, trackingNo: parcel.trackingNo, callbackUrl, startAt: clock(), pushed: 0 };
      await db()
        .send(new PutCommand({ TableName: table(), Item: { ...keys.sandboxTracking(parcel.carrier, parcel.trackingNo), ...item }, ConditionExpression: 'attribute_not_exists(PK)' }))
        .catch((e) => {
          if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
        });
    },

    async query(parcel: ParcelRef): Promise<TrackingReport> {
      const sub = (await subscriptions()).find((s) => s.carrier === parcel.carrier && s.trackingNo.toUpperCase() === parcel.trackingNo.toUpperCase());
      const startAt = sub?.startAt ?? clock();
      const full: Subscription = sub ?? { ...parcel, callbackUrl: '', startAt, pushed: 0 };
      return reportOf(lastResult(full, stepsAt(full, clock())), parcel);
    },

    async verifyPush(form) {
      return verifyKuaidi100Push(form, salt);
    },

    async advance(now: number, deliver: PushDeliver = httpDeliver): Promise<number> {
      let answered = 0;
      for (const sub of await subscriptions()) {
        const reached = stepsAt(sub, now);
        if (reached.length <= sub.pushed) continue;
        const param = JSON.stringify({ status: 'polling', billstatus: 'got', message: '', lastResult: lastResult(sub, reached) });
        if (!(await deliver(sub.callbackUrl, { param, sign: md5Upper(param + salt) }))) continue;
        answered++;
        await db().send(
          new UpdateCommand({
            TableName: table(),
            Key: keys.sandboxTracking(sub.carrier, sub.trackingNo),
            UpdateExpression: 'SET pushed = :n',
            ConditionExpression: 'pushed < :n',
            ExpressionAttributeValues: { ':n': reached.length },
          }),
        ).catch((e) => {
          if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
        });
      }
      return answered;
    },
  };
}
