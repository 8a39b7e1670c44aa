/**
 * Reviews and feedback through the HTTP handlers on DynamoDB Local: only after receipt and once per line, 追评 once,
 * another shopper cannot review my order, banned words refused, the product totals equal a recount of the visible
 * reviews after 200 concurrent reviews and after hiding, anonymous reviewers masked, feedback points once a day.
 * Photos are uploaded first through POST /v1/uploads and a presigned PUT to a local S3 server (s3rver); a review,
 * 追评 or feedback names them by key, and the pages' links read the stored bytes back.
 *
 * Orders are bought and paid through the API and the WeChat Pay sandbox; shipping and receipt are applied with the
 * order transition repository (SHIP, CONFIRM_RECEIPT rows of the transition table).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { bucketCounts, goodRatePercent } from '@shop/shared';
import { freshTable } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { putPhoto, startS3 } from '../../tests/support/s3';
import { shopper, testProduct, type Shopper } from '../../tests/support/shop';
import { db, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';
import { orderRepo } from '../src/repositories/order-repo';
import { reviewRepo } from '../src/repositories/review-repo';
import { transitionUpdate } from '../src/repositories/order-transitions';
import { transact } from '../src/repositories/transactions';
import { pointsRepo } from '../src/repositories/points-repo';
import { userRepo } from '../src/repositories/user-repo';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import { resetReviewsConfig } from '../src/providers/reviews-config';
import { setReviewHidden } from '../src/services/reviews';
import * as orders from '../src/handlers/orders';
import * as cart from '../src/handlers/cart';
import * as reviews from '../src/handlers/reviews';
import * as afterSales from '../src/handlers/after-sales';
import * as opsReviews from '../src/handlers/ops-reviews';
import { notify } from '../src/handlers/pay-notify';
import * as orderOps from '../src/handlers/ops';
import { membersFolder } from './support-points';

const PRODUCT = 'p-review-main';
let skus: string[];
let alice: Shopper;
let bob: Shopper;

let opsKey = '';
let s3: Awaited<ReturnType<typeof startS3>>;

beforeAll(async () => {
  s3 = await startS3();
  opsKey = (await freshTable()).env.OPS_LOCAL_KEY!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-reviews-'));
  fs.writeFileSync(path.join(dir, 'local.yaml'), 'tags: [质量很好, 物流很快, 性价比高]\nbannedWords: [骗子, 加微信]\n');
  process.env.REVIEWS_DIR = dir;
  resetReviewsConfig();
  membersFolder('points:\n  review: { points: 5 }\n  feedback: { points: 20 }\n  dailyCaps: { REVIEW: null, FEEDBACK: null }\n');
  skus = await testProduct(PRODUCT, 100_000, 1990, 10);
  [alice, bob] = await Promise.all([shopper('rv-alice'), shopper('rv-bob')]);
}, 60_000);

afterAll(async () => {
  await s3?.stop();
});

/** The bytes of a tiny JPEG (start and end markers) with a number in it, so each photo is told apart. */
const jpeg = (n: number) => new Uint8Array([0xff, 0xd8, n & 0xff, (n >> 8) & 0xff, 0xff, 0xd9]);

/** Uploads a photo as the mini-program does (a ticket for this purpose, then the PUT); `put: false` only takes the ticket. */
async function photo(s: Shopper, purpose: 'review' | 'feedback' | 'after_sales' = 'review', bytes = jpeg(0), put = true): Promise<string> {
  const t = await call(afterSales.createUpload, { token: s.token, body: { purpose, contentType: 'image/jpeg', size: bytes.byteLength } });
  expect(t.status).toBe(201);
  if (put) expect(await putPhoto(t.body, bytes)).toBe(200);
  return t.body.key as string;
}

/** What a shown photo link serves. */
async function fetched(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** Buys these SKUs in one cart order through the API and pays it in the WeChat Pay sandbox. */
async function paidOrder(s: Shopper, skuIds: string[], productId = PRODUCT): Promise<string> {
  for (const skuId of skuIds) {
    const add = await call(cart.addCartLine, { token: s.token, body: { productId, skuId, quantity: 1 } });
    expect(add.status).toBe(200);
  }
  const placed = await call(orders.createOrder, {
    token: s.token,
    body: { idempotencyKey: idempotencyKey(), source: { type: 'cart' }, addressId: s.addressId },
  });
  expect(placed.status).toBe(201);
  const orderId = placed.body.id as string;
  const pay = await call(orders.payOrder, { token: s.token, params: { orderId } });
  expect(pay.status).toBe(200);
  const sandbox = await sandboxWechatPay();
  await sandbox.simulateUserPayment(pay.body.prepayId, 'pay', Date.now(), (await userRepo.get(s.userId))!.openid);
  const tx = (await dynamoSandboxStore().get(orderId))!;
  const n = sandbox.server.buildNotification(tx, Date.now());
  expect((await call(notify as never, { headers: n.headers, rawBody: n.body })).status).toBe(204);
  expect((await orderRepo.get(orderId))!.status).toBe('PAID');
  return orderId;
}

/** The order's table rows SHIP then CONFIRM_RECEIPT, written by the transition repository. */
async function receive(orderId: string, upTo: 'SHIPPED' | 'COMPLETED' = 'COMPLETED'): Promise<void> {
  await transact([transitionUpdate((await orderRepo.get(orderId))!, 'SHIP', { now: Date.now() })]);
  if (upTo === 'COMPLETED') await transact([transitionUpdate((await orderRepo.get(orderId))!, 'CONFIRM_RECEIPT', { now: Date.now() })]);
}

async function completedOrder(s: Shopper, skuIds: string[], productId = PRODUCT): Promise<string> {
  const id = await paidOrder(s, skuIds, productId);
  await receive(id);
  return id;
}

function review(s: Shopper, body: Record<string, unknown>) {
  return call(reviews.createReview, { token: s.token, body });
}

/** Every visible review of the product counted from its listing (what the totals must equal). */
async function recount(productId: string) {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.reviewListPartition(productId, 'ALL') },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  const stars = [0, 0, 0, 0, 0] as [number, number, number, number, number];
  const tags: Record<string, number> = {};
  for (const r of items) {
    stars[r.stars - 1]++;
    for (const t of r.tags) tags[t] = (tags[t] ?? 0) + 1;
  }
  return { count: items.length, stars, withPhoto: items.filter((r) => r.photos.length > 0).length, tags };
}

describe('writing a review', () => {
  it('is refused before receipt, allowed once per line after it, and earns points once', async () => {
    const orderId = await paidOrder(alice, [skus[0], skus[1]]);
    const body = { orderId, skuId: skus[0], stars: 5, text: '很好用，颜色也正', tags: ['质量很好'], photoKeys: [await photo(alice)] };

    const paid = await review(alice, body);
    expect(paid.status).toBe(409);
    expect(paid.body).toMatchObject({ code: 'REVIEW_NOT_ALLOWED', message: '订单待发货，确认收货后才能评价' });
    await receive(orderId, 'SHIPPED');
    expect((await review(alice, body)).body.code).toBe('REVIEW_NOT_ALLOWED');
    const mine = await call(reviews.orderReviews, { token: alice.token, params: { orderId } });
    expect(mine.body.lines.map((l: any) => l.canReview)).toEqual([false, false]);
    expect(mine.body.note).toBe('确认收货后即可评价');

    await transact([transitionUpdate((await orderRepo.get(orderId))!, 'CONFIRM_RECEIPT', { now: Date.now() })]);
    const before = (await pointsRepo.balance(alice.userId)).available;
    const results = await Promise.all(Array.from({ length: 6 }, () => review(alice, body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body).toMatchObject({ code: 'REVIEW_EXISTS' });
    expect((await pointsRepo.balance(alice.userId)).available).toBe(before + 5);

    const after = await call(reviews.orderReviews, { token: alice.token, params: { orderId } });
    expect(after.body.lines.map((l: any) => [l.skuId, l.canReview, l.canFollowUp, l.review?.stars ?? null])).toEqual([
      [skus[0], false, true, 5],
      [skus[1], true, false, null],
    ]);
    expect(after.body.tags).toEqual(['质量很好', '物流很快', '性价比高']);
  });

  it('refuses another shopper, a line not in the order, unknown tags and banned words', async () => {
    const orderId = await completedOrder(alice, [skus[2]]);
    const ok = { orderId, skuId: skus[2], stars: 4, text: '还不错' };
    expect((await review(bob, ok)).body.code).toBe('ORDER_NOT_FOUND');
    expect((await call(reviews.orderReviews, { token: bob.token, params: { orderId } })).body.code).toBe('ORDER_NOT_FOUND');
    expect((await review(alice, { ...ok, skuId: skus[3] })).body.code).toBe('SKU_NOT_FOUND');
    const tag = await review(alice, { ...ok, tags: ['随便写的'] });
    expect(tag.body).toMatchObject({ code: 'VALIDATION_FAILED', message: '标签「随便写的」不可选' });
    const banned = await review(alice, { ...ok, text: '客服让我加 微-信 再退款' });
    expect(banned.status).toBe(400);
    expect(banned.body).toEqual({ code: 'CONTENT_NOT_ALLOWED', message: '内容包含不当词语「加微信」，请修改后再提交' });
    expect((await review(alice, { ...ok, stars: 6 })).body.code).toBe('VALIDATION_FAILED');
    const key = await photo(alice);
    expect((await review(alice, { ...ok, photoKeys: Array.from({ length: 10 }, () => key) })).body.code).toBe('VALIDATION_FAILED');
    // A photo address instead of an uploaded photo's key is not a photo.
    expect((await review(alice, { ...ok, photoKeys: ['/catalog-images/a.svg'] })).body.code).toBe('VALIDATION_FAILED');
    // Nothing of the refusals was written; the good one still can be.
    expect(await reviewRepo.get(orderId, skus[2])).toBeNull();
    expect((await review(alice, ok)).status).toBe(201);
    expect((await review(bob, ok)).body.code).toBe('ORDER_NOT_FOUND');
  });

  it('takes one 追评, only from the reviewer, only after the review', async () => {
    const orderId = await completedOrder(alice, [skus[4]]);
    const first = { orderId, skuId: skus[4], text: '用了一周，依然很好' };
    expect((await call(reviews.followUpReview, { token: alice.token, body: first })).body.code).toBe('NOT_FOUND');
    expect((await review(alice, { orderId, skuId: skus[4], stars: 3, text: '一般' })).status).toBe(201);
    expect((await call(reviews.followUpReview, { token: bob.token, body: first })).body.code).toBe('NOT_FOUND');
    expect((await call(reviews.followUpReview, { token: alice.token, body: { ...first, text: '是个骗子' } })).body.code).toBe('CONTENT_NOT_ALLOWED');
    const later = await photo(alice, 'review', jpeg(77));
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => call(reviews.followUpReview, { token: alice.token, body: { ...first, text: `追评 ${i}`, photoKeys: [later] } })),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0].body.followUp).toMatchObject({ label: '当天追评' });
    expect(ok[0].body.followUp.photos).toHaveLength(1);
    expect(await fetched(ok[0].body.followUp.photos[0])).toEqual(jpeg(77));
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body.code).toBe('REVIEW_EXISTS');
    const stored = await reviewRepo.get(orderId, skus[4]);
    expect(stored!.followUp!.text).toBe(ok[0].body.followUp.text);
    // The key is stored, never a link (links expire).
    expect(stored!.followUp!.photos).toEqual([later]);
    const lines = (await call(reviews.orderReviews, { token: alice.token, params: { orderId } })).body.lines;
    expect(lines[0]).toMatchObject({ canReview: false, canFollowUp: false });
  });
});

describe('product totals', () => {
  it('equal a recount after 200 concurrent reviews of many lines and orders, and after hiding some', async () => {
    const PID = 'p-review-busy';
    const busySkus = await testProduct(PID, 100_000, 990, 10);
    const people = await Promise.all([0, 1, 2, 3].map((i) => shopper(`rv-busy-${i}`)));
    const photoOf = new Map(await Promise.all(people.map(async (s, i) => [s.userId, await photo(s, 'review', jpeg(100 + i))] as const)));
    // Five orders of all ten SKUs for each of four shoppers (the shoppers buy side by side).
    const orderIds = (
      await Promise.all(
        people.map(async (s) => {
          const mine: { s: Shopper; id: string }[] = [];
          for (let k = 0; k < 5; k++) mine.push({ s, id: await completedOrder(s, busySkus, PID) });
          return mine;
        }),
      )
    ).flat();
    const TAGS = ['质量很好', '物流很快', '性价比高'];
    const jobs = orderIds.flatMap(({ s, id }, o) =>
      busySkus.map((skuId, i) => {
        const n = o * busySkus.length + i;
        return () =>
          review(s, {
            orderId: id,
            skuId,
            stars: (n % 5) + 1,
            text: `第 ${n} 条评价`,
            tags: TAGS.filter((_, t) => (n >> t) & 1),
            photoKeys: n % 3 === 0 ? [photoOf.get(s.userId)!] : [],
            anonymous: n % 4 === 0,
          });
      }),
    );
    expect(jobs).toHaveLength(200);
    const results = await Promise.all(jobs.map((j) => j()));
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);

    const counted = await recount(PID);
    expect(counted.count).toBe(200);
    expect(await reviewRepo.totals(PID)).toEqual(counted);
    expect(counted.stars).toEqual([40, 40, 40, 40, 40]);

    const summary = (await call(reviews.reviewSummary, { params: { productId: PID } })).body;
    expect(summary).toMatchObject({ count: 200, goodRate: 40, counts: { all: 200, photo: counted.withPhoto, good: 80, neutral: 40, bad: 80 } });
    expect(summary.tags[0].count).toBeGreaterThanOrEqual(summary.tags[summary.tags.length - 1].count);
    expect(summary.top).toHaveLength(2);
    for (const t of summary.top) expect(t).toMatchObject({ stars: 5 });
    expect(summary.top[0].photos).toHaveLength(1);
    // The product page's photos are links to the stored bytes of that reviewer's upload.
    const shownBytes = await fetched(summary.top[0].photos[0]);
    expect(people.map((_, i) => jpeg(100 + i))).toContainEqual(shownBytes);

    // Hide 7 reviews (and one twice): they leave every list and the totals; showing one again brings it back.
    const all = (await call(reviews.productReviews, { params: { productId: PID }, query: { filter: 'all', limit: '20' } })).body;
    const victims = all.items.slice(0, 7).map((r: any) => r.id);
    const hid = await Promise.all([...victims, victims[0]].map((id: string) => setReviewHidden('ops-test', id, { hidden: true, reason: '广告' }, Date.now())));
    expect(hid.filter((h) => h.changed)).toHaveLength(7);
    const afterHide = await recount(PID);
    expect(afterHide.count).toBe(193);
    expect(await reviewRepo.totals(PID)).toEqual(afterHide);
    const listed = (await call(reviews.productReviews, { params: { productId: PID }, query: { filter: 'all', limit: '20' } })).body;
    expect(listed.items.map((r: any) => r.id)).not.toContain(victims[3]);
    expect(listed.counts.all).toBe(193);
    await setReviewHidden('ops-test', victims[3], { hidden: false, reason: '误判' }, Date.now());
    const back = await recount(PID);
    expect(back.count).toBe(194);
    expect(await reviewRepo.totals(PID)).toEqual(back);
    const t = await reviewRepo.totals(PID);
    expect(goodRatePercent(t)).toBe(Math.floor((bucketCounts(t).good * 100) / 194));
  }, 300_000);

  it('lists newest first under each filter, page by page, with anonymous reviewers masked', async () => {
    const PID = 'p-review-list';
    const listSkus = await testProduct(PID, 1000, 990, 6);
    const orderId = await completedOrder(alice, listSkus, PID);
    const stars = [5, 4, 3, 2, 1, 5];
    for (const [i, skuId] of listSkus.entries()) {
      const photoKeys = i % 2 ? [await photo(alice, 'review', jpeg(200 + i))] : [];
      const r = await review(alice, { orderId, skuId, stars: stars[i], text: `评价 ${i}`, photoKeys, anonymous: i === 5 });
      expect(r.status).toBe(201);
    }
    const page = async (filter: string, cursor?: string) =>
      (await call(reviews.productReviews, { params: { productId: PID }, query: { filter, limit: '2', ...(cursor ? { cursor } : {}) } })).body;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await page('all', cursor);
      seen.push(...p.items.map((r: any) => r.text));
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['评价 5', '评价 4', '评价 3', '评价 2', '评价 1', '评价 0']);
    expect((await page('good')).items.map((r: any) => r.stars)).toEqual([5, 4]);
    expect((await page('neutral')).items.map((r: any) => r.stars)).toEqual([3]);
    const bad = await page('bad');
    expect(bad.items.map((r: any) => r.stars)).toEqual([1, 2]);
    expect(bad.counts).toEqual({ all: 6, photo: 3, good: 3, neutral: 1, bad: 2 });
    const withPhotos = await page('photo');
    expect(withPhotos.items.map((r: any) => r.text)).toEqual(['评价 5', '评价 3']);
    expect(await fetched(withPhotos.items[0].photos[0])).toEqual(jpeg(205));
    expect(await fetched(withPhotos.items[1].photos[0])).toEqual(jpeg(203));
    const first = (await page('all')).items[0];
    const nickname = (await userRepo.get(alice.userId))!.nickname;
    expect(first.anonymous).toBe(true);
    expect(first.nickname).not.toBe(nickname);
    expect(first.nickname.startsWith([...nickname][0])).toBe(true);
    expect(first.avatar).toBe('');
    // A cursor of another filter is refused, never turned into a query.
    const next = (await page('good')).nextCursor;
    expect((await call(reviews.productReviews, { params: { productId: PID }, query: { filter: 'bad', cursor: next } })).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('photos', () => {
  it('of another shopper, another purpose or never uploaded are refused with nothing written', async () => {
    const orderId = await completedOrder(alice, [skus[6], skus[7]]);
    const mine = await photo(alice);
    const refused = {
      'another shopper': await photo(bob),
      'for feedback': await photo(alice, 'feedback'),
      'for after-sales': await photo(alice, 'after_sales'),
      'never uploaded': await photo(alice, 'review', jpeg(0), false),
    };
    const points = (await pointsRepo.balance(alice.userId)).available;
    const totals = await reviewRepo.totals(PRODUCT);
    for (const [why, key] of Object.entries(refused)) {
      const r = await review(alice, { orderId, skuId: skus[6], stars: 5, text: why, photoKeys: [mine, key] });
      expect([why, r.status, r.body.code]).toEqual([why, 400, 'UPLOAD_INVALID']);
    }
    expect(await reviewRepo.get(orderId, skus[6])).toBeNull();
    expect(await reviewRepo.totals(PRODUCT)).toEqual(totals);
    expect((await pointsRepo.balance(alice.userId)).available).toBe(points);

    // 追评 checks its photos the same way, and keeps nothing when one is refused.
    expect((await review(alice, { orderId, skuId: skus[7], stars: 4, text: '不错' })).status).toBe(201);
    for (const key of Object.values(refused)) {
      const r = await call(reviews.followUpReview, { token: alice.token, body: { orderId, skuId: skus[7], text: '追评', photoKeys: [key] } });
      expect(r.body.code).toBe('UPLOAD_INVALID');
    }
    expect((await reviewRepo.get(orderId, skus[7]))!.followUp).toBeFalsy();

    // The good photo, named twice, is kept once.
    const ok = await review(alice, { orderId, skuId: skus[6], stars: 5, text: '图片清楚', photoKeys: [mine, mine] });
    expect(ok.status).toBe(201);
    expect(ok.body.photos).toHaveLength(1);
    expect(await fetched(ok.body.photos[0])).toEqual(jpeg(0));
    expect((await reviewRepo.get(orderId, skus[6]))!.photos).toEqual([mine]);
  });
});

describe('意见反馈', () => {
  it('is stored with the phone only by consent, and earns points once a day', async () => {
    const before = (await pointsRepo.balance(bob.userId)).available;
    const send = (body: Record<string, unknown>) => call(reviews.createFeedback, { token: bob.token, body });
    const a = await send({ type: 'DELIVERY', text: '快递太慢了，希望改进', contactConsent: true, phone: '13800138000' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ points: 20, message: '感谢你的反馈，已获得 20 积分' });
    const b = await send({ type: 'APP', text: '搜索框有时不能输入', contactConsent: false, phone: '13800138000' });
    expect(b.body).toMatchObject({ points: 0, message: '感谢你的反馈，我们会尽快处理' });
    expect((await pointsRepo.balance(bob.userId)).available).toBe(before + 20);
    expect((await send({ type: 'APP', text: '短' })).body.code).toBe('VALIDATION_FAILED');
    expect((await call(reviews.createFeedback, { body: { type: 'APP', text: '没有登录的反馈' } })).status).toBe(401);
  });

  it('takes photos uploaded for feedback only, and refuses any other with nothing stored', async () => {
    const dave = await shopper('rv-dave');
    const send = (photoKeys: string[]) => call(reviews.createFeedback, { token: dave.token, body: { type: 'PRODUCT', text: '包装破损，附图说明', photoKeys } });
    const mine = await photo(dave, 'feedback', jpeg(300));
    const before = (await pointsRepo.balance(dave.userId)).available;
    for (const key of [await photo(dave, 'review'), await photo(bob, 'feedback'), await photo(dave, 'feedback', jpeg(0), false)]) {
      expect((await send([mine, key])).body.code).toBe('UPLOAD_INVALID');
    }
    expect((await pointsRepo.balance(dave.userId)).available).toBe(before);
    expect((await send(Array.from({ length: 7 }, () => mine))).body.code).toBe('VALIDATION_FAILED');
    const ok = await send([mine]);
    expect(ok.status).toBe(201);
    expect(ok.body.points).toBe(20);
    expect((await pointsRepo.balance(dave.userId)).available).toBe(before + 20);
    const listed = await call(opsReviews.opsListFeedback as never, { headers: { 'x-ops-key': opsKey }, query: { limit: '5' } });
    const stored = listed.body.items.filter((f: any) => f.userId === dave.userId);
    expect(stored).toHaveLength(1);
    expect(stored[0].photos).toHaveLength(1);
    expect(await fetched(stored[0].photos[0])).toEqual(jpeg(300));
  });
});

describe('operator routes', () => {
  it('hide a review with the operator key (logged once), and refuse shopper tokens and unsigned calls', async () => {
    const orderId = await completedOrder(alice, [skus[5]]);
    const r = await review(alice, { orderId, skuId: skus[5], stars: 1, text: '广告内容' });
    expect(r.status).toBe(201);
    const hide = (headers: Record<string, string>, body: unknown = { hidden: true, reason: '广告' }) =>
      call(opsReviews.opsHideReview as never, { headers, params: { reviewId: r.body.id }, body });
    expect((await hide({ authorization: `Bearer ${alice.token}` })).status).toBe(403);
    expect((await hide({})).status).toBe(401);
    expect((await hide({ 'x-ops-key': 'not-the-key' })).status).toBe(403);
    expect((await reviewRepo.get(orderId, skus[5]))!.hidden).toBe(false);

    const before = await reviewRepo.totals(PRODUCT);
    const done = await hide({ 'x-ops-key': opsKey });
    expect(done.body).toEqual({ id: r.body.id, productId: PRODUCT, hidden: true, changed: true });
    expect((await hide({ 'x-ops-key': opsKey })).body.changed).toBe(false);
    expect((await reviewRepo.totals(PRODUCT)).count).toBe(before.count - 1);
    expect(await reviewRepo.totals(PRODUCT)).toEqual(await recount(PRODUCT));
    const log = await call(orderOps.opsLog as never, { headers: { 'x-ops-key': opsKey }, query: {} });
    const mine = log.body.items.filter((e: any) => e.target === r.body.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ action: 'review.hide', actor: 'local-operator' });
    expect((await call(opsReviews.opsHideReview as never, { headers: { 'x-ops-key': opsKey }, params: { reviewId: 'nope' }, body: { hidden: true, reason: 'x' } })).status).toBe(404);
  });

  it('list 意见反馈 newest first, page by page', async () => {
    const carol = await shopper('rv-carol');
    for (const text of ['第一条反馈内容', '第二条反馈内容', '第三条反馈内容']) {
      expect((await call(reviews.createFeedback, { token: carol.token, body: { type: 'SUGGESTION', text } })).status).toBe(201);
    }
    const list = (cursor?: string) =>
      call(opsReviews.opsListFeedback as never, { headers: { 'x-ops-key': opsKey }, query: { limit: '2', ...(cursor ? { cursor } : {}) } });
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.body.items.map((f: any) => f.text)).toEqual(['第三条反馈内容', '第二条反馈内容']);
    expect(first.body.items[0]).toMatchObject({ userId: carol.userId, typeLabel: '功能建议', phone: null, contactConsent: false });
    const second = await list(first.body.nextCursor);
    expect(second.body.items[0].text).toBe('第一条反馈内容');
    expect((await call(opsReviews.opsListFeedback as never, { headers: { authorization: `Bearer ${carol.token}` } })).status).toBe(403);
  });
});
