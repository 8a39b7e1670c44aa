/**
 * `npm run ops -- <command>`: the operator API from a terminal.
 *
 *   orders [--status PAID] [--from 2026-01-01] [--to 2026-01-31] [--csv out.csv]   orders to ship (CSV export)
 *   ship --order <id> --carrier shunfeng --no SF123… [--more]                     one order, one parcel (--more: more follow)
 *   ship --csv shipments.csv                                                       many (one line per parcel; a result per line)
 *   log                                                                            the operator log, newest first
 *   after-sales [--state REQUESTED|申请中|…] [--csv out.csv]                       售后 requests in one state (default 申请中)
 *   approve --id <afterSaleId>                                                     agree (仅退款: refund now; 退货退款: wait for the goods)
 *   reject --id <afterSaleId> --reason <text>                                      refuse a request still 申请中, the reason shown to the shopper
 *   receive --id <afterSaleId>                                                     the returned parcel arrived → refund
 *   refund --id <afterSaleId>                                                      ask again for the refund of a request stuck in 退款中
 *   hide-review --id <reviewId> --reason <text>                                    hide a review (reviewId = <orderId>_<skuId>)
 *   show-review --id <reviewId> --reason <text>                                    show a hidden review again
 *   feedback [--csv out.csv]                                                       意见反馈, newest first
 *
 * Where: `--stage <name>` with `OPS_API_URL` (the stage's HTTP API), calls signed with SigV4 (service execute-api)
 * using the AWS credentials of the shell (profile, SSO, environment); without a stage, the local shop (`npm start`)
 * at OPS_API_URL or http://127.0.0.1:3000 with the local operator key from <SHOP_DATA_DIR or .local>/secrets.json
 * (`x-ops-key`).
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  afterSaleAction,
  afterSaleLine,
  afterSalesCsv,
  afterSaleState,
  beijingTime,
  csvFile,
  feedbackCsv,
  feedbackLine,
  listAfterSales,
  listAll,
  listFeedback,
  parseShipCsv,
  refusal,
  setReviewHidden,
  shipMany,
  yuan,
  type OpsSend,
} from './lib/ops-cli';

const ROOT = path.resolve(import.meta.dirname, '..');

const bytes = (d: string | ArrayBuffer | ArrayBufferView) =>
  typeof d === 'string' ? Buffer.from(d, 'utf8') : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);

/** Node's SHA-256 in the shape the signer wants (a hash, or an HMAC when given a secret). */
class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.h.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

function client(stage: string | undefined): OpsSend {
  const base = process.env.OPS_API_URL ?? (stage ? '' : 'http://127.0.0.1:3000');
  if (!base) throw new Error('OPS_API_URL 未设置：请填写该环境 HTTP API 的地址');
  if (!stage) {
    const secretsFile = path.join(process.env.SHOP_DATA_DIR ?? path.join(ROOT, '.local'), 'secrets.json');
    if (!fs.existsSync(secretsFile)) throw new Error(`找不到 ${secretsFile}：请先用 npm start 启动本地商城（或用 --stage 连接已部署的环境）`);
    const key = (JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as Record<string, string>).OPS_LOCAL_KEY;
    if (!key) throw new Error(`${secretsFile} 中没有 OPS_LOCAL_KEY：请先用 npm start 启动本地商城`);
    return async (method, pq, body) => {
      const res = await fetch(`${base}${pq}`, { method, headers: { 'content-type': 'application/json', 'x-ops-key': key }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json().catch(() => null) };
    };
  }
  const url = new URL(base);
  const region = process.env.AWS_REGION ?? /execute-api\.([a-z0-9-]+)\.amazonaws/.exec(url.hostname)?.[1] ?? 'ap-east-1';
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: fromNodeProviderChain(), sha256: Sha256 });
  return async (method, pq, body) => {
    const target = new URL(pq, url);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const signed = await signer.sign({
      method,
      protocol: target.protocol,
      hostname: target.hostname,
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { host: target.host, ...(text ? { 'content-type': 'application/json' } : {}) },
      body: text,
    });
    const res = await fetch(target, { method, headers: signed.headers as Record<string, string>, body: text });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
}


function fail(res: { status: number; body: any }): never {
  throw refusal(res);
}

/** A list command's output: one line per row and the count, or (with --csv) the file and where it went. */
function printOrExport<T>(rows: T[], csvPath: string | undefined, noun: string, as: { csv: (rows: T[]) => string; line: (row: T) => string }): void {
  if (csvPath) {
    fs.writeFileSync(csvPath, as.csv(rows));
    console.log(`已导出 ${rows.length} ${noun}到 ${csvPath}`);
    return;
  }
  for (const row of rows) console.log(as.line(row));
  console.log(`共 ${rows.length} ${noun}`);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      stage: { type: 'string' },
      status: { type: 'string', default: 'PAID' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'string' },
      order: { type: 'string' },
      carrier: { type: 'string' },
      no: { type: 'string' },
      more: { type: 'boolean', default: false },
      state: { type: 'string' },
      id: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  // Connected on the first call, so usage and argument mistakes are reported without a running shop.
  let connected: OpsSend | undefined;
  const send: OpsSend = (method, pq, body) => (connected ??= client(values.stage))(method, pq, body);
  switch (command) {
    case 'orders': {
      const q: Record<string, string> = { status: values.status!, limit: '200' };
      if (values.from) q.from = String(Date.parse(`${values.from}T00:00:00+08:00`));
      if (values.to) q.to = String(Date.parse(`${values.to}T23:59:59.999+08:00`));
      const rows = await listAll<any>(send, '/ops/v1/orders', q);
      const header = ['order_id', 'status', 'shippable', 'created_at', 'paid_at', 'payable_yuan', 'receiver', 'phone', 'address', 'items', 'remark'];
      printOrExport(rows, values.csv, '个订单', {
        csv: (all) =>
          csvFile(
            header,
            all.map((o) => {
              const items = o.lines.map((l: any) => `${l.skuId}:${l.quantity}`).join(';');
              return [o.id, o.statusLabel, o.shippable ? '是' : '否', beijingTime(o.createdAt), beijingTime(o.paidAt), yuan(o.payableFen), o.receiver, o.phone, o.address, items, o.remark];
            }),
          ),
        line: (o) => `${o.id}  ${o.statusLabel}${o.shippable ? '' : '（暂不可发货）'}  ¥${yuan(o.payableFen)}  ${o.receiver}  ${o.lines.map((l: any) => `${l.title}×${l.quantity}`).join('，')}`,
      });
      return;
    }
    case 'ship': {
      if (values.csv) {
        const { lines, errors } = parseShipCsv(fs.readFileSync(values.csv, 'utf8'));
        const results = [...errors, ...(await shipMany(lines, (orderId, body) => send('POST', `/ops/v1/orders/${encodeURIComponent(orderId)}/ship`, body)))].sort((a, b) => a.line - b.line);
        for (const r of results) console.log(`${r.ok ? '✓' : '✗'} ${r.message}`);
        const failed = results.filter((r) => !r.ok).length;
        console.log(`发货完成：成功 ${results.length - failed} 单，失败 ${failed} 单`);
        if (failed) process.exitCode = 1;
        return;
      }
      if (!values.order || !values.carrier || !values.no) throw new Error('用法：ship --order <订单号> --carrier shunfeng --no <快递单号>，或 ship --csv shipments.csv');
      const res = await send('POST', `/ops/v1/orders/${encodeURIComponent(values.order)}/ship`, {
        parcels: [{ carrier: values.carrier, trackingNo: values.no }],
        isAllDelivered: !values.more,
      });
      if (res.status !== 200) fail(res);
      console.log(`✓ 订单 ${values.order} 已发货（共 ${res.body.parcels} 个包裹${res.body.allDelivered ? '' : '，还有包裹待发'}）`);
      return;
    }
    case 'log': {
      const res = await send('GET', '/ops/v1/log?limit=100');
      if (res.status !== 200) fail(res);
      for (const e of res.body.items) console.log(`${beijingTime(e.at)}  ${e.actor}  ${e.action}  ${e.target}  ${e.summary}`);
      return;
    }
    case 'after-sales': {
      const state = afterSaleState(values.state);
      printOrExport(await listAfterSales(send, state), values.csv, '个售后申请', { csv: afterSalesCsv, line: afterSaleLine });
      return;
    }
    case 'approve':
    case 'reject':
    case 'receive':
    case 'refund':
      console.log(await afterSaleAction(send, command, values));
      return;
    case 'hide-review':
    case 'show-review':
      console.log(await setReviewHidden(send, { ...values, show: command === 'show-review' }));
      return;
    case 'feedback': {
      printOrExport(await listFeedback(send), values.csv, '条意见反馈', { csv: feedbackCsv, line: feedbackLine });
      return;
    }
    default:
      console.log(
        '用法：npm run ops -- orders | ship | log | after-sales | approve | reject | receive | refund | hide-review | show-review | feedback [--stage <name>]（详见 docs/after-sales.md）',
      );
      process.exitCode = command ? 1 : 0;
  }
}

main().catch((e) => {
  console.error(`✗ ${(e as Error).message}`);
  process.exit(1);
});
