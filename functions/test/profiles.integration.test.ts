/**
 * Shopper profiles on DynamoDB Local: paid orders reach the profile once through the stream reaction, the lifecycle
 * moves with the clock passed in, and segment tags computed from the profile decide campaign targeting in pricing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { shopper } from '../../tests/support/shop';
import { drainReactions } from '../../tests/support/stream';
import { putProduct } from '../../scripts/seed/seed';
import { newId } from '../src/lib/ids';
import { profileRepo } from '../src/repositories/profile-repo';
import { ingestEvents } from '../src/services/events';
import { onChangeForProfiles, shopperContext } from '../src/services/profiles';
import { campaignUser } from '../src/services/coupons';
import * as events from '../src/handlers/events';
import * as orders from '../src/handlers/orders';
import { paidOrder } from './support-points';

const DAY = 24 * 3600 * 1000;

const CAMPAIGNS = `
campaigns:
  - id: beauty-lovers-manjian
    name: 美妆爱好者专享满减
    type: spend_and_save
    window: { start: 2020-01-01 00:00, end: 2099-01-01 00:00 }
    tiers:
      - { thresholdFen: 3000, offFen: 500 }
    scope: all
    targeting: { segments: [beauty-lover] }
`;

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'promotions.yaml': CAMPAIGNS }) });
  await item('p-pf-lip', 'beauty', 5900, ['口红']);
  await item('p-pf-cream', 'beauty', 12_900, ['面霜']);
  await item('p-pf-phone', 'digital', 199_900, ['手机']);
});

async function item(id: string, categoryId: string, priceFen: number, keywords: string[]) {
  await putProduct(
    {
      id,
      categoryId,
      title: `商品 ${id}`,
      subtitle: '',
      description: '',
      images: [`/catalog-images/${id}.svg`],
      specDimensions: [{ name: '规格', values: ['标准'] }],
      skus: [{ id: `sku-${id.slice(2)}`, specs: { 规格: '标准' }, priceFen, originalPriceFen: null, stock: 50, image: null }],
      sales: 0,
      listedDaysAgo: 1,
      onShelf: true,
      keywords,
    },
    Date.now(),
  );
}

const view = (productId: string, at: number) => ({ kind: 'view' as const, id: newId(at), at, productId, dwellMs: 30_000 });

/** A paid order of one line as the table holds it, and its change as the stream delivers it. */
async function paid(userId: string, productId: string, paidFen: number, paidAt: number) {
  const order = { ...(await paidOrder(userId, paidFen, paidAt)), lines: [{ productId, skuId: `sku-${productId.slice(2)}`, unitPriceFen: paidFen, quantity: 1 }] };
  return { previous: { ...order, type: 'order', status: 'PENDING_PAYMENT' }, next: { ...order, type: 'order' } };
}

describe('profiles from events and paid orders', () => {
  it('counts a paid order once and moves the lifecycle with the clock', async () => {
    const s = await shopper('pf-life');
    const t0 = Date.now();
    await ingestEvents(s.userId, [view('p-pf-lip', t0), view('p-pf-cream', t0)], t0);
    const fresh = await shopperContext(s.userId, t0);
    expect(fresh.profile).toMatchObject({ lifecycle: 'new', lifecycleName: '新客', orders: 0, categories: [{ id: 'beauty', share: 1 }] });
    expect(fresh.recent.map((r) => r.productId)).toEqual(['p-pf-cream', 'p-pf-lip']);

    const change = await paid(s.userId, 'p-pf-phone', 199_900, t0 + DAY);
    expect(await onChangeForProfiles(change, t0 + DAY)).toBe('profile-updated');
    // The stream delivers it again: nothing more.
    expect(await onChangeForProfiles(change, t0 + DAY)).toBe('profile-already');
    const buyer = await shopperContext(s.userId, t0 + 2 * DAY);
    expect(buyer.profile).toMatchObject({ lifecycle: 'active', orders: 1, spentFen: 199_900, rfm: { r: 5, f: 1, m: 4 } });
    expect(buyer.recent[0]).toEqual({ productId: 'p-pf-phone', kind: 'purchase', at: t0 + DAY });
    expect(buyer.profile?.categories[0].id).toBe('digital');

    expect((await shopperContext(s.userId, t0 + 70 * DAY)).profile).toMatchObject({ lifecycle: 'churn_risk', lifecycleName: '流失风险', rfm: { r: 3 } });
    const gone = await shopperContext(s.userId, t0 + 100 * DAY);
    expect(gone.profile).toMatchObject({ lifecycle: 'dormant', lifecycleName: '沉睡' });
    expect(gone.profile?.segments).toContain('dormant-90d');
  });

  it('runs from the real stream: an order that becomes PAID reaches the profile through reactToChange', async () => {
    const s = await shopper('pf-stream');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db, table } = await import('../src/lib/dynamo');
    const { keys } = await import('../src/repositories/keys');
    const now = Date.now();
    const id = newId(now);
    const order = { id, userId: s.userId, type: 'order', createdAt: now, paidAt: null, paidFen: null, payableFen: 5900, refundedFen: 0, lines: [{ productId: 'p-pf-lip', skuId: 'sku-pf-lip', unitPriceFen: 5900, quantity: 1 }] };
    await db().send(new PutCommand({ TableName: table(), Item: { ...keys.order(id), ...order, status: 'PENDING_PAYMENT' } }));
    await drainReactions();
    expect((await profileRepo.read(s.userId)).rev).toBe(0);
    await db().send(new PutCommand({ TableName: table(), Item: { ...keys.order(id), ...order, status: 'PAID', paidAt: now + 1000, paidFen: 5900, transactionId: `tx${id}` } }));
    await drainReactions();
    const after = await profileRepo.read(s.userId);
    expect(after.profile.orders).toMatchObject({ count: 1, spentFen: 5900, ids: [id] });
    expect(after.profile.recent).toEqual([{ productId: 'p-pf-lip', kind: 'purchase', at: now + 1000 }]);
  });

  it('with 行为数据 off, a paid order counts for RFM but teaches no interests', async () => {
    const s = await shopper('pf-private');
    await call(events.setPrivacy, { token: s.token, body: { behaviourData: false } });
    const now = Date.now();
    await onChangeForProfiles(await paid(s.userId, 'p-pf-lip', 5900, now), now);
    const { profile } = await profileRepo.read(s.userId);
    expect(profile.orders.count).toBe(1);
    expect(profile.recent).toEqual([]);
    expect(profile.interests.cats).toEqual({});
  });
});

describe('segments reach campaign targeting', () => {
  const quote = (token: string) =>
    call(orders.quote, { token, body: { source: { type: 'buyNow', productId: 'p-pf-cream', skuId: 'sku-pf-cream', quantity: 1 }, couponIds: [] } });

  it('a shopper whose interests make them a beauty-lover gets the 满减 only their segment is offered', async () => {
    const fan = await shopper('pf-fan');
    const other = await shopper('pf-other');
    const before = await quote(fan.token);
    expect(before.status).toBe(200);
    expect(before.body.discounts).toEqual([]);

    const now = Date.now();
    const r = await call(events.ingestEvents, { token: fan.token, body: { events: [view('p-pf-lip', now - 1000), view('p-pf-cream', now)] } });
    expect(r.body.stored).toBe(2);
    await call(events.ingestEvents, { token: other.token, body: { events: [view('p-pf-phone', now)] } });

    expect((await campaignUser(fan.userId, Date.now())).segments).toEqual(['new-shopper', 'beauty-lover']);
    expect((await campaignUser(other.userId, Date.now())).segments).toEqual(['new-shopper']);
    const after = await quote(fan.token);
    expect(after.body.discounts).toEqual([{ kind: 'spend_and_save', label: '美妆爱好者专享满减 满30减5', amountFen: 500 }]);
    expect(after.body.payableFen).toBe(before.body.payableFen - 500);
    expect((await quote(other.token)).body.discounts).toEqual([]);

    // Turning 行为数据 off stops the shop using what it learnt: the tag (and the 满减) go.
    await call(events.setPrivacy, { token: fan.token, body: { behaviourData: false } });
    expect((await quote(fan.token)).body.discounts).toEqual([]);
  });
});
