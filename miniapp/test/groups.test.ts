import { describe, expect, it } from 'vitest';
import { sharePath, tokenFromLandingQuery } from '@shop/shared/src/group-buy/share';
import {
  dealMinPriceFen,
  groupRemainingMs,
  groupSeated,
  joinableGroups,
  orderGroupText,
} from '../src/store/slices/groups';
import { PAGES } from '../src/utils/nav';
import { ADDRESS_ID, LOGIN, ORDER_ID, fail, makeStore, ok, order, payResponse } from './support/fakes';

const TOKEN = 'AbCdEf123456';
const PHONE_NOW = 1_700_000_000_000;

function landing(over: Record<string, unknown> = {}) {
  return {
    groupId: '01HGGGGGGGGGGGGGGGGGGGGGGG',
    token: TOKEN,
    campaignId: 'nuts-group-3',
    status: 'OPEN',
    statusLabel: '拼团中',
    product: { id: 'p-nuts-01', name: '每日坚果', imageUrl: null, priceFen: 4990, groupPriceFen: 3990 },
    skuId: 'sku-nuts-01-classic-15',
    size: 2,
    seatsLeft: 1,
    deadlineAt: PHONE_NOW + 60_000,
    joinable: true,
    members: [{ nickname: '小*', avatarUrl: null, leader: true, robot: false }],
    now: PHONE_NOW + 5_000,
    ...over,
  };
}

const seatedGroup = (status: 'OPEN' | 'SUCCESS') => ({
  campaignId: 'nuts-group-3',
  role: 'member' as const,
  groupId: '01HGGGGGGGGGGGGGGGGGGGGGGG',
  token: TOKEN,
  status,
  statusLabel: status === 'OPEN' ? '拼团中' : '拼团成功',
});

describe('group-buy slice', () => {
  it('确认拼团订单 prices the order it will place (same deal, SKU and group) and keeps the server\'s reason when it cannot', async () => {
    const quote = {
      role: 'member',
      priceLabel: '拼团价',
      memberPriceFen: null,
      line: { productId: 'p-nuts-01', skuId: 'sku-nuts-01-classic-15', title: '每日坚果', specText: '经典混合 15包', image: '/x.png', unitPriceFen: 3990, quantity: 1, lineTotalFen: 3990 },
      subtotalFen: 3990,
      shippingFen: 1000,
      shipping: { feeFen: 1000, freeFromFen: 9900, text: '运费 ¥10，满 ¥99 包邮', estimate: '付款后 48 小时内发货' },
      discountFen: 0,
      discounts: [],
      payableFen: 4990,
    };
    let full = false;
    const s = makeStore({
      login: () => ok(LOGIN),
      groupQuote: () => (full ? fail(409, 'ORDER_STATE_CONFLICT', '该团已满员') : ok(quote)),
    });
    await s.store.getState().loginWithCode('demo');
    await s.store.getState().loadGroupQuote({ campaignId: 'nuts-group-3', skuId: 'sku-nuts-01-classic-15', groupToken: TOKEN });
    expect(s.requests.find((r) => r.name === 'groupQuote')!.body).toEqual({ campaignId: 'nuts-group-3', skuId: 'sku-nuts-01-classic-15', groupToken: TOKEN });
    expect(s.store.getState()).toMatchObject({ groupQuoteStatus: 'ready', groupQuote: { payableFen: 4990, shippingFen: 1000 } });
    full = true;
    await s.store.getState().loadGroupQuote({ campaignId: 'nuts-group-3', skuId: 'sku-nuts-01-classic-15', groupToken: TOKEN });
    expect(s.store.getState()).toMatchObject({ groupQuoteStatus: 'error', groupQuote: null, groupQuoteError: '该团已满员' });
    expect(s.toasts).toEqual([]);
    // A new visit of the page starts without the last visit's price.
    s.store.getState().startGroupOrder();
    expect(s.store.getState()).toMatchObject({ groupQuote: null, groupQuoteStatus: 'idle', groupQuoteError: null });
  });

  it('counts down on the server clock: the offset of the landing answer moves every countdown', async () => {
    const s = makeStore({ groupLanding: () => ok(landing()) });
    const l = await s.store.getState().loadLanding(TOKEN);
    expect(l?.seatsLeft).toBe(1);
    // The server is 5 s ahead of the phone (same instant sent and received in the fake).
    expect(s.store.getState().serverOffsetMs).toBe(5_000);
    expect(groupRemainingMs(l!.deadlineAt, PHONE_NOW, s.store.getState().serverOffsetMs)).toBe(55_000);
    expect(groupRemainingMs(l!.deadlineAt, PHONE_NOW + 70_000, 5_000)).toBe(0);
  });

  it('joins in order: create the group order with the token, pay, read the order until seated, re-read the group', async () => {
    let reads = 0;
    const s = makeStore({
      login: () => ok(LOGIN),
      createGroupOrder: () => ok(order({ group: { ...seatedGroup('OPEN'), groupId: null, token: null, status: 'PENDING', statusLabel: '待支付' } })),
      payOrder: () => ok(payResponse('sandbox')),
      sandboxPay: () => ok({ delivered: true, notifyStatus: 200 }),
      getOrder: () => {
        reads++;
        return ok(reads === 1 ? order() : order({ status: 'PAID', statusLabel: '待发货', group: seatedGroup('SUCCESS') }));
      },
      groupLanding: () => ok(landing({ status: 'SUCCESS', statusLabel: '拼团成功', seatsLeft: 0, joinable: false })),
    });
    await s.store.getState().loginWithCode('demo');
    const st = s.store.getState();
    st.startGroupOrder();
    const created = await st.submitGroupOrder({
      campaignId: 'nuts-group-3',
      skuId: 'sku-nuts-01-classic-15',
      addressId: ADDRESS_ID,
      groupToken: TOKEN,
      inviter: 'inv-1',
    });
    expect(created.id).toBe(ORDER_ID);
    await expect(s.store.getState().startPayment(created.id)).resolves.toBe('sandbox-open');
    await expect(s.store.getState().confirmSandbox('pay')).resolves.toBe(true);
    await expect(s.store.getState().settleGroupOrder(created.id, TOKEN)).resolves.toBe(TOKEN);

    const names = s.requests.map((r) => r.name).filter((n) => n !== 'login');
    expect(names).toEqual(['createGroupOrder', 'payOrder', 'sandboxPay', 'getOrder', 'getOrder', 'groupLanding']);
    const body = s.requests.find((r) => r.name === 'createGroupOrder')!.body as Record<string, unknown>;
    expect(body).toMatchObject({ campaignId: 'nuts-group-3', skuId: 'sku-nuts-01-classic-15', addressId: ADDRESS_ID, groupToken: TOKEN, inviter: 'inv-1' });
    expect(body.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(s.store.getState().landings[TOKEN]?.status).toBe('SUCCESS');
    expect(s.store.getState().orders[ORDER_ID]?.group?.status).toBe('SUCCESS');
  });

  it('starting a group sends no token; a retried submit keeps the key, a new visit gets a new one', async () => {
    let n = 0;
    const s = makeStore({
      login: () => ok(LOGIN),
      createGroupOrder: () => {
        if (++n === 1) throw new Error('socket hang up');
        return ok(order());
      },
    });
    await s.store.getState().loginWithCode('demo');
    s.store.getState().startGroupOrder();
    const input = { campaignId: 'nuts-group-3', skuId: 'sku-nuts-01-classic-15', addressId: ADDRESS_ID };
    await expect(s.store.getState().submitGroupOrder(input)).rejects.toBeTruthy();
    await s.store.getState().submitGroupOrder(input);
    await s.store.getState().submitGroupOrder(input); // already created: no third post
    const bodies = s.requests.filter((r) => r.name === 'createGroupOrder').map((r) => r.body as Record<string, unknown>);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).not.toHaveProperty('groupToken');
    expect(bodies[0]!.idempotencyKey).toBe(bodies[1]!.idempotencyKey);
    const key = s.store.getState().groupOrderKey;
    s.store.getState().startGroupOrder();
    expect(s.store.getState().groupOrderKey).not.toBe(key);
  });

  it('a leader is seated once paid and the group token is known', () => {
    expect(groupSeated(order({ status: 'PAID', group: { ...seatedGroup('OPEN'), token: null, groupId: null, status: 'PENDING' } }))).toBe(false);
    expect(groupSeated(order({ status: 'PAID', group: seatedGroup('OPEN') }))).toBe(true);
    expect(groupSeated(order({ group: seatedGroup('OPEN') }))).toBe(false);
  });

  it('loads product deals and 我的拼团 with the server clock; a failing deals read just shows none', async () => {
    const deal = {
      campaignId: 'nuts-group-3',
      name: '三人团',
      productId: 'p-nuts-01',
      groupSize: 3,
      timeLimitMinutes: 1440,
      leaderFree: false,
      endsAt: PHONE_NOW + 1e9,
      skus: [
        { skuId: 'a', groupPriceFen: 3990, leaderPriceFen: 3490 },
        { skuId: 'b', groupPriceFen: 7990, leaderPriceFen: 7990 },
      ],
      openGroups: [
        { groupId: 'g1', token: TOKEN, leaderNickname: '小*', leaderAvatar: null, seatsLeft: 2, deadlineAt: PHONE_NOW + 10_000 },
        { groupId: 'g2', token: TOKEN, leaderNickname: '张**', leaderAvatar: null, seatsLeft: 0, deadlineAt: PHONE_NOW + 10_000 },
        { groupId: 'g3', token: TOKEN, leaderNickname: '李*', leaderAvatar: null, seatsLeft: 1, deadlineAt: PHONE_NOW - 1 },
      ],
    };
    const s = makeStore({
      groupDeals: () => ok({ deals: [deal], now: PHONE_NOW - 2_000 }),
      myGroups: () => ok({ items: [], now: PHONE_NOW }),
    });
    const deals = await s.store.getState().loadGroupDeals('p-nuts-01');
    expect(s.requests[0]!.url).toContain('productId=p-nuts-01');
    expect(s.store.getState().serverOffsetMs).toBe(-2_000);
    expect(dealMinPriceFen(deals[0]!)).toBe(3990);
    expect(joinableGroups(deals[0]!, PHONE_NOW).map((g) => g.groupId)).toEqual(['g1']);

    await s.store.getState().loadMyGroups('SUCCESS');
    expect(s.requests[1]!.url).toContain('status=SUCCESS');
    expect(s.store.getState().myGroups.SUCCESS?.status).toBe('ready');

    const broken = makeStore({ groupDeals: () => ({ statusCode: 404, data: { code: 'NOT_FOUND', message: 'x' } }) });
    await expect(broken.store.getState().loadGroupDeals('p-nuts-01')).resolves.toEqual([]);
    expect(broken.toasts).toEqual([]);
  });

  it('says how a group order stands', () => {
    expect(orderGroupText(order({ status: 'PAID', group: seatedGroup('OPEN') }))).toBe('拼团中 — 待成团');
    expect(orderGroupText(order({ status: 'PAID', group: seatedGroup('SUCCESS') }))).toBe('拼团成功');
    expect(orderGroupText(order({ status: 'REFUNDED', group: { ...seatedGroup('OPEN'), status: 'FAILED' } }))).toBe('拼团失败 · 已退款');
    expect(orderGroupText(order())).toBeNull();
  });

  it('share path: the landing page of the app config, carrying the token; a scanned code gives the same token', () => {
    expect(sharePath(TOKEN).split('?')[0]).toBe(PAGES.groupLanding);
    expect(sharePath(TOKEN)).toBe(`/packageGroup/pages/landing/index?t=${TOKEN}`);
    expect(tokenFromLandingQuery({ scene: encodeURIComponent(`t=${TOKEN}`) })).toBe(TOKEN);
    expect(tokenFromLandingQuery({ t: 'bad!' })).toBeNull();
  });
});

