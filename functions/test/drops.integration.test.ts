/**
 * The scheduled coupon drops on DynamoDB Local: birthday (the birthday set through PUT /v1/me/birthday), share_reward
 * (a friend's first paid order through the shopper's share) and win_back (no paid order for the drop's dormant-<N>d)
 * each grant exactly once per shopper and period, however often (and however concurrently) their job or reaction runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { shopper } from '../../tests/support/shop';
import { couponRepo } from '../src/repositories/coupon-repo';
import { onChangeForDrops, runDropJobs } from '../src/services/drops';
import { shanghaiParts } from '@shop/shared';
import * as auth from '../src/handlers/auth';
import { DAY, membersFolder, paidOrder } from './support-points';

const template = (id: string, name: string) => `
  - id: ${id}
    name: ${name}
    kind: fixed
    thresholdFen: 10000
    offFen: 1000
    validity: { type: days_after_claim, days: 30 }
    totalStock: 100000
    perUserLimit: 50`;

const COUPONS = `
couponTemplates:${template('tpl-bday', '生日礼券')}${template('tpl-share', '分享有礼券')}${template('tpl-back', '回归券')}
campaigns:
  - id: birthday-gift
    name: 生日月礼券
    type: coupon_drop
    trigger: birthday
    templateIds: [tpl-bday]
    window: { start: 2020-01-01 00:00, end: 2099-01-01 00:00 }
  - id: share-reward
    name: 分享有礼
    type: coupon_drop
    trigger: share_reward
    templateIds: [tpl-share]
    window: { start: 2020-01-01 00:00, end: 2099-01-01 00:00 }
  - id: win-back
    name: 老朋友回归礼
    type: coupon_drop
    trigger: win_back
    templateIds: [tpl-back]
    window: { start: 2020-01-01 00:00, end: 2099-01-01 00:00 }
    targeting: { segments: [dormant-30d] }
`;

/** 2027-03-10 12:00 in Shanghai. */
const T0 = Date.UTC(2027, 2, 10, 4, 0);

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'coupons.yaml': COUPONS }) });
  membersFolder('');
});

async function couponsOf(userId: string, templateId: string) {
  return (await couponRepo.listForUser(userId)).filter((c) => c.templateId === templateId);
}

const paid = (order: Record<string, unknown>) => ({ previous: { ...order, status: 'PENDING_PAYMENT' }, next: { ...order, type: 'order' } });

describe('birthday', () => {
  it('the birthday is set through the profile route; the job grants in the birthday month once a year, however often it runs', async () => {
    const s = await shopper('drop-bday');
    const other = await shopper('drop-bday-other');
    const bad = await call(auth.setBirthday, { token: s.token, body: { birthday: '13-40' } });
    expect(bad.status).toBe(400);
    expect((await call(auth.setBirthday, { token: s.token, body: { birthday: '03-18' } })).body).toEqual({ birthday: '03-18' });
    expect((await call(auth.setBirthday, { token: other.token, body: { birthday: '07-01' } })).status).toBe(200);

    await Promise.all([runDropJobs(T0), runDropJobs(T0)]);
    await runDropJobs(T0 + DAY);
    expect(await couponsOf(s.userId, 'tpl-bday')).toHaveLength(1);
    // Not their month: nothing.
    expect(await couponsOf(other.userId, 'tpl-bday')).toHaveLength(0);
    // April: not the month; next March: the next year's coupon, once.
    await runDropJobs(Date.UTC(2027, 3, 10, 4, 0));
    expect(await couponsOf(s.userId, 'tpl-bday')).toHaveLength(1);
    const nextYear = Date.UTC(2028, 2, 5, 4, 0);
    expect(shanghaiParts(nextYear).month).toBe(3);
    await runDropJobs(nextYear);
    await runDropJobs(nextYear);
    expect(await couponsOf(s.userId, 'tpl-bday')).toHaveLength(2);
  });
});

describe('share_reward', () => {
  it("a friend's first paid order through the share rewards the sharer once; replays and the friend's next order do not", async () => {
    const sharer = await shopper('drop-sharer');
    const friend = await shopper('drop-friend');
    const first = await paidOrder(friend.userId, 5000, T0, sharer.userId);
    await Promise.all(Array.from({ length: 5 }, () => onChangeForDrops(paid(first), T0)));
    await onChangeForDrops(paid(first), T0);
    expect(await couponsOf(sharer.userId, 'tpl-share')).toHaveLength(1);
    const second = await paidOrder(friend.userId, 5000, T0 + DAY, sharer.userId);
    await onChangeForDrops(paid(second), T0 + DAY);
    expect(await couponsOf(sharer.userId, 'tpl-share')).toHaveLength(1);
    // The friend themselves gets nothing from sharing they did not do.
    expect(await couponsOf(friend.userId, 'tpl-share')).toHaveLength(0);
  });
});

describe('win_back', () => {
  it('no paid order for the dormant days → one coupon, once per quiet spell, however often the job runs', async () => {
    const s = await shopper('drop-quiet');
    const order = await paidOrder(s.userId, 8000, T0);
    await onChangeForDrops(paid(order), T0);
    // Still within 30 days: nothing.
    await runDropJobs(T0 + 29 * DAY);
    expect(await couponsOf(s.userId, 'tpl-back')).toHaveLength(0);
    await Promise.all([runDropJobs(T0 + 31 * DAY), runDropJobs(T0 + 31 * DAY)]);
    await runDropJobs(T0 + 40 * DAY);
    expect(await couponsOf(s.userId, 'tpl-back')).toHaveLength(1);
    // Back and quiet again: a new spell, one more coupon.
    const again = await paidOrder(s.userId, 8000, T0 + 45 * DAY);
    await onChangeForDrops(paid(again), T0 + 45 * DAY);
    await runDropJobs(T0 + 50 * DAY);
    expect(await couponsOf(s.userId, 'tpl-back')).toHaveLength(1);
    await runDropJobs(T0 + 80 * DAY);
    await runDropJobs(T0 + 81 * DAY);
    expect(await couponsOf(s.userId, 'tpl-back')).toHaveLength(2);
  });
});
