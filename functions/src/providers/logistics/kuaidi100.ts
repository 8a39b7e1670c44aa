import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, stageOfKuaidi100State } from '@shop/shared';
import type { Logistics, ParcelRef, TrackingEventReport, TrackingReport } from './types';

/**
 * 快递100 (api.kuaidi100.com): real-time query `POST https://poll.kuaidi100.com/poll/query.do` (form: customer, param,
 * sign = upper-case hex MD5 of param + key + customer), subscription `POST https://poll.kuaidi100.com/poll` (form:
 * schema=json, param with key, callbackurl and salt) and pushes to our callback (form: param, sign = upper-case hex
 * MD5 of param + salt). The sandbox twin speaks the same protocol.
 */
export interface Kuaidi100Options {
  customer: string;
  key: string;
  /** Our secret for the signature of pushes. */
  salt: string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

export const md5Upper = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

/** 快递100 times are Beijing time without an offset: `2024-05-01 13:20:00`. */
function kuaidi100Time(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)$/.exec(text.trim());
  if (!m) return NaN;
  return Date.parse(`${m[1]}T${m[2]}${m[3] ? '' : ':00'}+08:00`);
}

export function formatKuaidi100Time(at: number): string {
  return new Date(at + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

interface RawResult {
  state?: string;
  com?: string;
  nu?: string;
  ischeck?: string;
  data?: { time?: string; ftime?: string; context?: string; status?: string; statusCode?: string }[];
}

/** A query answer or a push's lastResult, as our report (events oldest first). */
export function reportOf(raw: RawResult, parcel: { carrier: string; trackingNo: string }): TrackingReport {
  const state = String(raw.state ?? '0');
  const stage = stageOfKuaidi100State(state);
  const rows = (raw.data ?? []).filter((d) => d.context && Number.isFinite(kuaidi100Time(d.ftime ?? d.time ?? '')));
  // resultv2 gives each row its own statusCode; without it only the newest row carries the parcel's state.
  const events: TrackingEventReport[] = rows
    .map((d, i) => ({
      at: kuaidi100Time(d.ftime ?? d.time ?? ''),
      stage: d.statusCode ? stageOfKuaidi100State(d.statusCode) : i === 0 ? stage : 'IN_TRANSIT',
      text: String(d.context).slice(0, 200),
    }))
    .sort((a, b) => a.at - b.at);
  const delivered = stage === 'DELIVERED' ? (events.at(-1)?.at ?? null) : null;
  return { carrier: parcel.carrier, trackingNo: parcel.trackingNo, stage, events, deliveredAt: delivered };
}

/** Checks a push's sign against our salt (constant time) and reads its lastResult. */
export function verifyKuaidi100Push(form: Record<string, string>, salt: string): TrackingReport | null {
  const param = form.param ?? '';
  const sign = form.sign ?? '';
  const expected = Buffer.from(md5Upper(param + salt));
  const given = Buffer.from(sign.toUpperCase());
  if (!param || expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let body: { lastResult?: RawResult };
  try {
    body = JSON.parse(param);
  } catch {
    return null;
  }
  const last = body.lastResult;
  if (!last?.com || !last.nu) return null;
  return reportOf(last, { carrier: last.com, trackingNo: last.nu });
}

export function createKuaidi100(opts: Kuaidi100Options): Logistics {
  const { customer, key, salt, baseUrl = 'https://poll.kuaidi100.com', fetch = globalThis.fetch, timeoutMs = 5000 } = opts;
  const failed = (api: string, details: Record<string, unknown>) => new DomainError('INTERNAL', undefined, { api, ...details });

  async function postForm(api: string, path: string, form: Record<string, string>): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw failed(api, { reason: (e as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK' });
    }
    if (res.status !== 200) throw failed(api, { reason: 'HTTP_STATUS', httpStatus: res.status });
    try {
      return JSON.parse(await res.text()) as Record<string, unknown>;
    } catch {
      throw failed(api, { reason: 'BAD_RESPONSE' });
    }
  }

  return {
    async subscribe(parcel: ParcelRef, callbackUrl: string) {
      const param = JSON.stringify({
        company: parcel.carrier,
        number: parcel.trackingNo,
        key,
        parameters: { callbackurl: callbackUrl, salt, resultv2: '4', ...(parcel.phone ? { phone: parcel.phone } : {}) },
      });
      const out = await postForm('kuaidi100.poll', '/poll', { schema: 'json', param });
      // 501 = already subscribed: fine.
      if (out.result !== true && out.returnCode !== '501') throw failed('kuaidi100.poll', { returnCode: out.returnCode, message: out.message });
    },

    async query(parcel: ParcelRef) {
      const param = JSON.stringify({ com: parcel.carrier, num: parcel.trackingNo, resultv2: '4', ...(parcel.phone ? { phone: parcel.phone } : {}) });
      const out = await postForm('kuaidi100.query', '/poll/query.do', { customer, param, sign: md5Upper(param + key + customer) });
      if (out.message !== 'ok') throw failed('kuaidi100.query', { returnCode: out.returnCode ?? out.status, message: out.message });
      return reportOf(out as RawResult, parcel);
    },

    async verifyPush(form) {
      return verifyKuaidi100Push(form, salt);
    },
  };
}
