import { describe, expect, it } from 'vitest';
import type { OrderReviewsResponse, ReviewView } from '@shop/shared';
import { filterTabLabel, reviewHeadline, reviewListKey } from '../src/store/slices/reviews';
import { LOGIN, ORDER_ID, fail, makeStore, ok } from './support/fakes';

function review(id: string, over: Partial<ReviewView> = {}): ReviewView {
  return {
    id,
    productId: 'p-1',
    specText: '红色',
    stars: 5,
    text: `评价 ${id}`,
    photos: [],
    tags: [],
    nickname: '小***',
    avatar: '',
    anonymous: true,
    createdAt: 1,
    followUp: null,
    ...over,
  };
}
const COUNTS = { all: 3, photo: 1, good: 2, neutral: 1, bad: 0 };

function lines(reviewed: boolean): OrderReviewsResponse {
  return {
    orderId: ORDER_ID,
    lines: [
      { productId: 'p-1', skuId: 'sku-1', title: '口红', specText: '红色', image: '/x.svg', review: reviewed ? review('r1') : null, canReview: !reviewed, canFollowUp: reviewed },
    ],
    tags: ['质量很好'],
    note: '',
  };
}

async function loggedIn(handlers: Parameters<typeof makeStore>[0]) {
  const s = makeStore({ login: () => ok(LOGIN), ...handlers });
  await s.store.getState().loginWithCode('demo-1');
  return s;
}

describe('review words', () => {
  it('shows 好评率 only once there are reviews, and counts on the filter tabs', () => {
    expect(reviewHeadline(undefined)).toBe('暂无评价');
    expect(reviewHeadline({ count: 0, goodRate: null })).toBe('暂无评价');
    expect(reviewHeadline({ count: 12, goodRate: 98 })).toBe('好评率 98%');
    expect(filterTabLabel('有图', 12)).toBe('有图 12');
    expect(filterTabLabel('差评', 0)).toBe('差评');
    expect(filterTabLabel('全部', 23456)).toBe('全部 2.3万');
  });
});

describe('全部评价 pages', () => {
  it('appends the next page under the same filter without repeats, and stops at the last', async () => {
    const pages = [
      { items: [review('a'), review('b')], nextCursor: 'c1', counts: COUNTS },
      { items: [review('b'), review('c')], nextCursor: null, counts: COUNTS },
    ];
    const s = makeStore({ productReviews: () => ok(pages.shift()) });
    const st = s.store.getState();
    await st.loadProductReviews('p-1', 'good', true);
    await st.loadProductReviews('p-1', 'good', false);
    await st.loadProductReviews('p-1', 'good', false);
    const list = s.store.getState().reviewLists[reviewListKey('p-1', 'good')];
    expect(list.items.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(list.cursor).toBeNull();
    expect(s.requests.map((r) => new URL(r.url).search)).toEqual(['?filter=good&limit=10', '?filter=good&limit=10&cursor=c1']);
  });

  it('keeps the shown reviews when a later page fails, and says so only when nothing is shown', async () => {
    let n = 0;
    const s = makeStore({ productReviews: () => (n++ === 0 ? ok({ items: [review('a')], nextCursor: 'c1', counts: COUNTS }) : fail(500, 'INTERNAL', '系统繁忙')) });
    const st = s.store.getState();
    await st.loadProductReviews('p-1', 'all', true);
    await st.loadProductReviews('p-1', 'all', false);
    expect(s.store.getState().reviewLists['p-1:all']).toMatchObject({ status: 'ready', items: [{ id: 'a' }] });
    await st.loadProductReviews('p-2', 'all', true);
    expect(s.store.getState().reviewLists['p-2:all']?.status).toBe('error');
  });
});

describe('发表评价', () => {
  it('publishes once while a submit is under way, then reads the order’s lines again', async () => {
    let reviewed = false;
    const s = await loggedIn({
      createReview: async () => {
        reviewed = true;
        return ok(review('r1'), 201);
      },
      orderReviews: () => ok(lines(reviewed)),
    });
    const st = s.store.getState();
    const [a, b] = await Promise.all([
      st.submitReview({ orderId: ORDER_ID, skuId: 'sku-1', stars: 5, text: '好' }),
      st.submitReview({ orderId: ORDER_ID, skuId: 'sku-1', stars: 5, text: '好' }),
    ]);
    expect([a, b]).toEqual([true, false]);
    expect(s.requests.filter((r) => r.name === 'createReview')).toHaveLength(1);
    expect(s.store.getState().orderReviews[ORDER_ID].lines[0]).toMatchObject({ canReview: false, canFollowUp: true });
    expect(s.toasts).toContain('评价成功');
  });

  it('shows the server’s words when a review is refused, and lets the shopper try again', async () => {
    const s = await loggedIn({ createReview: () => fail(400, 'CONTENT_NOT_ALLOWED', '内容包含不当词语「骗子」，请修改后再提交') });
    expect(await s.store.getState().submitReview({ orderId: ORDER_ID, skuId: 'sku-1', stars: 1, text: '骗子' })).toBe(false);
    expect(s.toasts).toEqual(['内容包含不当词语「骗子」，请修改后再提交']);
    expect(s.store.getState().reviewSubmitting).toBe(false);
  });

  it('sends feedback and answers with the server’s thank-you', async () => {
    const s = await loggedIn({ createFeedback: () => ok({ id: ORDER_ID, points: 20, message: '感谢你的反馈，已获得 20 积分' }, 201) });
    expect(await s.store.getState().submitFeedback({ type: 'APP', text: '搜索框不能输入', photoKeys: [], contactConsent: false })).toBe('感谢你的反馈，已获得 20 积分');
    expect(s.requests.find((r) => r.name === 'createFeedback')?.body).toEqual({ type: 'APP', text: '搜索框不能输入', photoKeys: [], contactConsent: false });
  });
});
