import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CampaignSchema, parseShanghaiTime, type GroupDealCampaign } from '../src/campaigns/index';
import {
  GROUP_LANDING_CODE_PAGE,
  GROUP_REFUSALS,
  GROUP_STATUS_LABEL,
  applyGroupEvent,
  deadlineOutcome,
  groupDeadline,
  groupPrice,
  isShareToken,
  joinBlocker,
  joinOrderExpiresAt,
  landingView,
  leaderOrderExpiresAt,
  leaderRefundOnSuccessFen,
  maskNickname,
  newShareToken,
  openGroup,
  seatDecision,
  shareScene,
  sharePath,
  shareTitle,
  tokenFromLandingQuery,
  type Group,
  type GroupEffect,
  type GroupTransition,
  type Joiner,
} from '../src/group-buy/index';

const MIN = 60_000;
const START = parseShanghaiTime('2026-12-01 00:00')!;
const END = parseShanghaiTime('2027-01-01 00:00')!;
const T0 = parseShanghaiTime('2026-12-10 10:00')!;

let seq = 0;
function deal(fields: Record<string, unknown> = {}): GroupDealCampaign {
  return CampaignSchema.parse({
    id: 'nuts-group-3',
    name: '每日坚果三人团',
    type: 'group_deal',
    window: { start: '2026-12-01 00:00', end: '2027-01-01 00:00' },
    productId: 'p-nuts-01',
    skus: [
      { skuId: 'sku-15', groupPriceFen: 3990, leaderPriceFen: 3490 },
      { skuId: 'sku-30', groupPriceFen: 7990 },
    ],
    groupSize: 3,
    timeLimitMinutes: 1440,
    stockQuota: 500,
    perUserLimit: 2,
    ...fields,
  }) as GroupDealCampaign;
}

function payer(userId: string, d: GroupDealCampaign, role: 'leader' | 'member' = 'member', skuId = 'sku-15'): Joiner {
  return { userId, orderId: `o-${userId}-${++seq}`, skuId, paidFen: groupPrice(d, skuId, role), inviterId: role === 'member' ? 'u-leader' : null };
}

function ok(t: GroupTransition): Extract<GroupTransition, { ok: true }> {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  return t;
}

function open(d = deal(), at = T0, leader = payer('u-leader', d, 'leader')): Group {
  return ok(openGroup({ groupId: `g-${++seq}`, deal: d, leader, now: at })).group;
}

function join(g: Group, j: Joiner, at: number): Group {
  return ok(applyGroupEvent(g, { type: 'JOIN_PAID', joiner: j }, at)).group;
}

const refundsOf = (effects: GroupEffect[]) => effects.filter((e): e is Extract<GroupEffect, { kind: 'REFUND' }> => e.kind === 'REFUND');

describe('group deadline (per group, capped by the campaign)', () => {
  it('runs from the leader’s payment for the deal’s time limit', () => {
    expect(groupDeadline(T0, deal(), END)).toBe(T0 + 1440 * MIN);
  });
  it('is per group: two groups of one campaign opened at different times end at different times', () => {
    const a = open(deal(), T0);
    const b = open(deal(), T0 + 5 * 60 * MIN);
    expect(b.deadline - a.deadline).toBe(5 * 60 * MIN);
  });
  it('is capped by the campaign’s end', () => {
    const lateOpen = END - 60 * MIN;
    expect(groupDeadline(lateOpen, deal(), END)).toBe(END);
    expect(open(deal(), lateOpen).deadline).toBe(END);
  });
  it('refuses to open a group once the campaign is over, refunding the leader in full', () => {
    const d = deal();
    const leader = payer('u-late', d, 'leader');
    const t = openGroup({ groupId: 'g-late', deal: d, leader, now: END });
    expect(t.ok).toBe(false);
    if (t.ok) return;
    expect(t.code).toBe('CAMPAIGN_ENDED');
    expect(t.payer).toMatchObject({ then: 'REFUND', refund: { orderId: leader.orderId, amountFen: 3490, outRefundNo: `${leader.orderId}-GROUPCLOSED` } });
  });
  it('opens OPEN with the leader seated and schedules its own deadline', () => {
    const d = deal();
    const t = ok(openGroup({ groupId: 'g-1', deal: d, leader: payer('u-leader', d, 'leader'), now: T0 }));
    expect(t.group).toMatchObject({ status: 'OPEN', leaderUserId: 'u-leader', openedAt: T0, deadline: T0 + 1440 * MIN, closedAt: null });
    expect(t.group.members).toHaveLength(1);
    expect(t.group.members[0]).toMatchObject({ role: 'leader', seat: 'HELD', robot: false, paidFen: 3490, refundOnSuccessFen: 0 });
    expect(t.effects).toEqual([{ kind: 'SCHEDULE_DEADLINE', groupId: 'g-1', at: T0 + 1440 * MIN }]);
  });
  it('keeps the terms it opened with', () => {
    const g = open(deal({ groupSize: 4, onFull: 'refund', robotFill: true }));
    expect(g.terms).toEqual({ size: 4, onFull: 'refund', robotFill: true, timeLimitMinutes: 1440, campaignEndAt: END });
  });
});

describe('joining', () => {
  const d = deal();

  it('seats a paid joiner; the last seat asks for FILL, and FILL makes every order ready to ship', () => {
    let g = open(d);
    const b = payer('u-b', d);
    const c = payer('u-c', d);
    const first = ok(applyGroupEvent(g, { type: 'JOIN_PAID', joiner: b }, T0 + MIN));
    expect(first.effects).toEqual([]);
    g = first.group;
    expect(g.members[1]).toMatchObject({ userId: 'u-b', role: 'member', seat: 'HELD', inviterId: 'u-leader' });
    const last = ok(applyGroupEvent(g, { type: 'JOIN_PAID', joiner: c }, T0 + 2 * MIN));
    expect(last.effects).toEqual([{ kind: 'FILL', groupId: g.id }]);
    expect(last.group.status).toBe('OPEN');
    const filled = ok(applyGroupEvent(last.group, { type: 'FILL' }, T0 + 2 * MIN));
    expect(filled.group).toMatchObject({ status: 'SUCCESS', closedAt: T0 + 2 * MIN });
    expect(filled.group.members.every((m) => m.seat === 'WON')).toBe(true);
    expect(filled.effects.filter((e) => e.kind === 'ORDER_READY')).toHaveLength(3);
    expect(refundsOf(filled.effects)).toEqual([]);
    expect(filled.effects.filter((e) => e.kind === 'NOTIFY')).toHaveLength(3);
  });

  it('refuses a join after the deadline and refunds it in full', () => {
    const g = open(d);
    const late = payer('u-late', d);
    const t = applyGroupEvent(g, { type: 'JOIN_PAID', joiner: late }, g.deadline + 1);
    expect(t).toMatchObject({ ok: false, code: 'GROUP_EXPIRED', message: '已超过拼团时间' });
    if (t.ok) return;
    expect(t.payer).toMatchObject({ then: 'REFUND', refund: { orderId: late.orderId, amountFen: 3990, reason: 'GROUPCLOSED', releaseStock: true } });
    expect(t.payer?.notice).toContain('原路退回');
  });

  it('treats a payment exactly at the deadline as too late, and one a millisecond before as in time', () => {
    const g = open(d);
    expect(seatDecision(g, payer('u-x', d), g.deadline)).toMatchObject({ kind: 'CLOSED', code: 'GROUP_EXPIRED' });
    expect(seatDecision(g, payer('u-y', d), g.deadline - 1)).toEqual({ kind: 'SEAT', fills: false });
  });

  it('never seats a join after success: the payer leads a new group (onFull: new_group)', () => {
    let g = open(d);
    g = join(g, payer('u-b', d), T0 + MIN);
    g = join(g, payer('u-c', d), T0 + MIN);
    g = ok(applyGroupEvent(g, { type: 'FILL' }, T0 + MIN)).group;
    const d4 = payer('u-d', d);
    const t = applyGroupEvent(g, { type: 'JOIN_PAID', joiner: d4 }, T0 + 2 * MIN);
    expect(t).toMatchObject({ ok: false, code: 'GROUP_FULL', message: '拼团已满', payer: { then: 'NEW_GROUP' } });
    // The service then opens their group with the money they paid; as its leader they get the difference to the
    // leader price back if the new group succeeds.
    const mine = ok(openGroup({ groupId: 'g-new', deal: d, leader: d4, now: T0 + 2 * MIN })).group;
    expect(mine.members[0]).toMatchObject({ userId: 'u-d', role: 'leader', paidFen: 3990, refundOnSuccessFen: 500 });
  });

  it('refunds a payer who finds the group full when the deal says refund', () => {
    const dr = deal({ onFull: 'refund' });
    let g = open(dr);
    g = join(g, payer('u-b', dr), T0 + MIN);
    g = join(g, payer('u-c', dr), T0 + MIN);
    const x = payer('u-x', dr);
    const t = applyGroupEvent(g, { type: 'JOIN_PAID', joiner: x }, T0 + MIN);
    expect(t).toMatchObject({ ok: false, code: 'GROUP_FULL', payer: { then: 'REFUND', refund: { outRefundNo: `${x.orderId}-GROUPFULL` } } });
  });

  it('refunds instead of opening a new group when the campaign has ended', () => {
    let g = open(d, END - 30 * MIN);
    g = join(g, payer('u-b', d), END - 20 * MIN);
    g = join(g, payer('u-c', d), END - 10 * MIN);
    expect(seatDecision(g, payer('u-x', d), END)).toMatchObject({ kind: 'FULL', then: 'REFUND' });
    expect(seatDecision(g, payer('u-x', d), END - 1)).toMatchObject({ kind: 'FULL', then: 'NEW_GROUP' });
  });

  it('refuses a second order of someone already seated (你已在团中) and refunds it', () => {
    let g = open(d);
    g = join(g, payer('u-b', d), T0 + MIN);
    const again = payer('u-b', d);
    const t = applyGroupEvent(g, { type: 'JOIN_PAID', joiner: again }, T0 + 2 * MIN);
    expect(t).toMatchObject({ ok: false, code: 'ALREADY_MEMBER', message: '你已在团中', payer: { then: 'REFUND', refund: { orderId: again.orderId, reason: 'GROUPDUP' } } });
    const leaderAgain = applyGroupEvent(g, { type: 'JOIN_PAID', joiner: payer('u-leader', d) }, T0 + 2 * MIN);
    expect(leaderAgain).toMatchObject({ ok: false, code: 'ALREADY_MEMBER' });
  });

  it('ignores a repeated notification of an order already seated (no second seat, no refund)', () => {
    const b = payer('u-b', d);
    const g = join(open(d), b, T0 + MIN);
    const replay = ok(applyGroupEvent(g, { type: 'JOIN_PAID', joiner: b }, T0 + 3 * MIN));
    expect(replay).toEqual({ ok: true, group: g, changed: false, effects: [] });
  });

  it('refuses a join to a failed group (拼团已结束)', () => {
    const g = ok(applyGroupEvent(open(d), { type: 'DEADLINE' }, T0 + 1440 * MIN)).group;
    expect(g.status).toBe('FAILED');
    const t = applyGroupEvent(g, { type: 'JOIN_PAID', joiner: payer('u-x', d) }, T0 + 1440 * MIN);
    expect(t).toMatchObject({ ok: false, code: 'GROUP_ENDED', message: '拼团已结束', payer: { then: 'REFUND' } });
  });

  it('200 paying joiners on one 3-seat group: 3 seats, everyone else moved or refunded, nobody left charged', () => {
    for (const onFull of ['new_group', 'refund'] as const) {
      const dd = deal({ onFull });
      let g = open(dd);
      const outcomes = new Map<string, string>();
      for (let i = 0; i < 200; i++) {
        const j = payer(`u-${i}`, dd);
        const t = applyGroupEvent(g, { type: 'JOIN_PAID', joiner: j }, T0 + MIN);
        if (t.ok) {
          g = t.group;
          outcomes.set(j.orderId, 'SEAT');
        } else {
          outcomes.set(j.orderId, t.payer!.then);
          if (t.payer!.then === 'REFUND') expect(t.payer!.refund.amountFen).toBe(j.paidFen);
        }
      }
      expect(g.members).toHaveLength(3);
      const counts = [...outcomes.values()].reduce<Record<string, number>>((acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }), {});
      expect(counts).toEqual(onFull === 'new_group' ? { SEAT: 2, NEW_GROUP: 198 } : { SEAT: 2, REFUND: 198 });
    }
  });

  it('tells the product page early why a shopper cannot join, before any order is made', () => {
    let g = open(d);
    expect(joinBlocker(g, 'u-b', T0)).toBeNull();
    expect(joinBlocker(g, 'u-leader', T0)).toBe('ALREADY_MEMBER');
    expect(joinBlocker(g, 'u-b', g.deadline)).toBe('GROUP_EXPIRED');
    g = join(join(g, payer('u-b', d), T0), payer('u-c', d), T0);
    expect(joinBlocker(g, 'u-x', T0)).toBe('GROUP_FULL');
  });

  it('caps a joiner’s payment window at the group’s deadline and a leader’s at the campaign’s end', () => {
    const g = open(d);
    expect(joinOrderExpiresAt(g, T0, 15 * MIN)).toBe(T0 + 15 * MIN);
    expect(joinOrderExpiresAt(g, g.deadline - 5 * MIN, 15 * MIN)).toBe(g.deadline);
    expect(leaderOrderExpiresAt(d, END - MIN, 15 * MIN)).toBe(END);
  });

  it('rejects a confirmed payment of 0 fen (WeChat Pay never confirms one)', () => {
    expect(() => seatDecision(open(d), { ...payer('u-b', d), paidFen: 0 }, T0)).toThrow(RangeError);
  });
});

describe('deadline', () => {
  const d = deal({ groupSize: 4 });

  it('does nothing before the deadline, and fails at exactly the deadline', () => {
    const g = open(d);
    expect(deadlineOutcome(g, g.terms, g.deadline - 1)).toEqual({ kind: 'NOT_DUE', dueAt: g.deadline });
    expect(applyGroupEvent(g, { type: 'DEADLINE' }, g.deadline - 1)).toMatchObject({ ok: false, code: 'NOT_DUE' });
    expect(ok(applyGroupEvent(g, { type: 'DEADLINE' }, g.deadline)).group.status).toBe('FAILED');
  });

  it('refunds EVERY member of a failed group, the leader included, once each with distinct out_refund_no', () => {
    let g = open(d);
    const b = payer('u-b', d);
    const c = payer('u-c', d);
    g = join(join(g, b, T0 + MIN), c, T0 + 2 * MIN);
    const t = ok(applyGroupEvent(g, { type: 'DEADLINE' }, g.deadline + 30_000));
    expect(t.group).toMatchObject({ status: 'FAILED', closedAt: g.deadline + 30_000 });
    expect(t.group.members.every((m) => m.seat === 'REFUND_DUE')).toBe(true);
    const refunds = refundsOf(t.effects);
    expect(refunds.map((r) => r.orderId)).toEqual(g.members.map((m) => m.orderId));
    expect(refunds.map((r) => r.amountFen)).toEqual([3490, 3990, 3990]);
    expect(new Set(refunds.map((r) => r.outRefundNo)).size).toBe(3);
    for (const r of refunds) {
      expect(r.outRefundNo).toBe(`${r.orderId}-GROUPFAILED`);
      expect(r).toMatchObject({ reason: 'GROUPFAILED', releaseStock: true });
    }
    expect(t.effects.filter((e) => e.kind === 'NOTIFY' && e.status === 'FAILED')).toHaveLength(3);
    expect(t.effects.some((e) => e.kind === 'ORDER_READY')).toBe(false);
  });

  it('is idempotent: a second firing (schedule and sweeper) changes and refunds nothing', () => {
    const failed = ok(applyGroupEvent(open(d), { type: 'DEADLINE' }, T0 + 1440 * MIN)).group;
    expect(applyGroupEvent(failed, { type: 'DEADLINE' }, T0 + 1441 * MIN)).toEqual({ ok: true, group: failed, changed: false, effects: [] });
    expect(applyGroupEvent(failed, { type: 'FILL' }, T0 + 1441 * MIN)).toMatchObject({ ok: false, code: 'GROUP_ENDED' });
  });

  it('robot-fills the free seats (flagged, no orders) and succeeds', () => {
    const dr = deal({ groupSize: 5, robotFill: true });
    let g = open(dr);
    g = join(g, payer('u-b', dr), T0 + MIN);
    const out = deadlineOutcome(g, g.terms, g.deadline);
    expect(out.kind).toBe('SUCCESS');
    if (out.kind !== 'SUCCESS') return;
    expect(out.robots).toHaveLength(3);
    expect(out.robots.every((r) => r.robot && r.orderId === null && r.paidFen === 0)).toBe(true);
    expect(out.group.members).toHaveLength(5);
    expect(out.refunds).toEqual([]);
    expect(out.effects.filter((e) => e.kind === 'ORDER_READY')).toHaveLength(2);
  });

  it('robot-fills at most size − 1 seats (the leader always holds one)', () => {
    const dr = deal({ groupSize: 10, robotFill: true });
    const g = open(dr);
    const out = deadlineOutcome(g, g.terms, g.deadline);
    expect(out.kind === 'SUCCESS' && out.robots.length).toBe(9);
  });

  it('treats a full group whose FILL has not been recorded as SUCCESS, never FAILED, and FILL may come late', () => {
    let g = open(deal());
    g = join(join(g, payer('u-b', deal()), T0 + MIN), payer('u-c', deal()), g.deadline - 1);
    expect(ok(applyGroupEvent(g, { type: 'DEADLINE' }, g.deadline)).group.status).toBe('SUCCESS');
    expect(ok(applyGroupEvent(g, { type: 'FILL' }, g.deadline + 10_000)).group.status).toBe('SUCCESS');
  });

  it('FILL before every seat is taken is refused; FILL on a SUCCESS group is a no-op', () => {
    const g = open(deal());
    expect(applyGroupEvent(g, { type: 'FILL' }, T0)).toMatchObject({ ok: false, code: 'NOT_FULL' });
    const full = join(join(g, payer('u-b', deal()), T0), payer('u-c', deal()), T0);
    const done = ok(applyGroupEvent(full, { type: 'FILL' }, T0)).group;
    expect(applyGroupEvent(done, { type: 'FILL' }, T0 + 1)).toMatchObject({ ok: true, changed: false, effects: [] });
    expect(applyGroupEvent(done, { type: 'DEADLINE' }, done.deadline)).toMatchObject({ ok: true, changed: false });
  });
});

describe('prices and the leader-free rule', () => {
  it('charges members the group price and leaders the leader price', () => {
    const d = deal();
    expect(groupPrice(d, 'sku-15', 'member')).toBe(3990);
    expect(groupPrice(d, 'sku-15', 'leader')).toBe(3490);
    expect(groupPrice(d, 'sku-30', 'leader')).toBe(7990);
    expect(leaderRefundOnSuccessFen(d, 'sku-15')).toBe(0);
    expect(() => groupPrice(d, 'sku-nope', 'member')).toThrow(RangeError);
  });

  it('leader-free: the leader pays the group price (never 0) and gets it back only when the group succeeds', () => {
    const d = deal({ leaderFree: true, skus: [{ skuId: 'sku-15', groupPriceFen: 3990 }] });
    expect(groupPrice(d, 'sku-15', 'leader')).toBe(3990);
    expect(leaderRefundOnSuccessFen(d, 'sku-15')).toBe(3990);
    const leader = payer('u-leader', d, 'leader');
    let g = open(d, T0, leader);
    g = join(join(g, payer('u-b', d), T0 + MIN), payer('u-c', d), T0 + MIN);
    const success = ok(applyGroupEvent(g, { type: 'FILL' }, T0 + MIN));
    expect(refundsOf(success.effects)).toEqual([
      { kind: 'REFUND', orderId: leader.orderId, userId: 'u-leader', amountFen: 3990, outRefundNo: `${leader.orderId}-GROUPLEADER`, reason: 'GROUPLEADER', releaseStock: false },
    ]);
    expect(success.effects).toContainEqual({ kind: 'ORDER_READY', orderId: leader.orderId });
    // On failure the leader gets the payment back once, as everyone does — not the rebate on top.
    const failed = ok(applyGroupEvent(open(d, T0, leader), { type: 'DEADLINE' }, T0 + 1440 * MIN));
    expect(refundsOf(failed.effects).map((r) => [r.reason, r.amountFen])).toEqual([['GROUPFAILED', 3990]]);
  });

  it('treats a leader price of 0 as leader-free, because WeChat Pay cannot charge 0', () => {
    const d = deal({ skus: [{ skuId: 'sku-15', groupPriceFen: 3990, leaderPriceFen: 0 }] });
    expect(groupPrice(d, 'sku-15', 'leader')).toBe(3990);
    expect(leaderRefundOnSuccessFen(d, 'sku-15')).toBe(3990);
  });

  it('never charges 0 for any role and never gives a leader back more than they paid', () => {
    const skuArb = fc.record({
      groupPriceFen: fc.integer({ min: 1, max: 100_000 }),
      leaderPriceFen: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(skuArb, fc.boolean(), (s, leaderFree) => {
        const sku = { skuId: 's', groupPriceFen: s.groupPriceFen, leaderPriceFen: s.leaderPriceFen === undefined ? undefined : Math.min(s.leaderPriceFen, s.groupPriceFen) };
        const d = { skus: [sku], leaderFree: leaderFree && sku.leaderPriceFen === undefined };
        for (const role of ['leader', 'member'] as const) expect(groupPrice(d, 's', role)).toBeGreaterThan(0);
        const paid = groupPrice(d, 's', 'leader');
        expect(leaderRefundOnSuccessFen(d, 's', paid)).toBeLessThanOrEqual(paid);
        expect(leaderRefundOnSuccessFen(d, 's', paid)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('landing page', () => {
  it('masks nicknames: never the full name', () => {
    expect(maskNickname('张三丰')).toBe('张**');
    expect(maskNickname('小明')).toBe('小*');
    expect(maskNickname('Alexander')).toBe('A***');
    expect(maskNickname('王')).toBe('*');
    expect(maskNickname('  ')).toBe('微信用户');
    expect(maskNickname(null)).toBe('微信用户');
    expect(maskNickname('😀开心')).toBe('😀**');
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (name) => {
        const masked = maskNickname(name);
        const chars = Array.from(name.trim());
        const shown = Array.from(masked);
        expect(shown.length).toBeLessThanOrEqual(4);
        if (chars.length === 0) return;
        // At most the first character is ever shown; everything after it is a star (a name made of stars may
        // therefore look the same masked, which reveals nothing).
        expect(shown.slice(1).every((c) => c === '*')).toBe(true);
        if (chars.length === 1) expect(masked).toBe('*');
        else expect(shown[0]).toBe(chars[0]);
      }),
    );
  });

  it('contains no openid, phone, address, user or order id, or full nickname', () => {
    const d = deal({ groupSize: 4 });
    let g = open(d, T0, { userId: 'u-1001', orderId: 'ord-secret-1', skuId: 'sku-15', paidFen: 3490 });
    g = join(g, { userId: 'u-1002', orderId: 'ord-secret-2', skuId: 'sku-15', paidFen: 3990, inviterId: 'u-1001' }, T0 + MIN);
    const profiles = [
      { userId: 'u-1001', nickname: '张三丰', avatarUrl: 'https://thirdwx.qlogo.cn/a.png', openid: 'oXyZ-openid-1', phone: '13800138000', address: '上海市浦东新区世纪大道 100 号' },
      { userId: 'u-1002', nickname: '李小龙', avatarUrl: 'javascript:alert(1)', openid: 'oXyZ-openid-2', phone: '13900139000', address: { city: '北京', line: '长安街 1 号' } },
    ];
    const view = landingView(g, profiles, { id: 'p-nuts-01', name: '每日坚果', imageUrl: 'https://cdn.example.com/n.png', priceFen: 4990, groupPriceFen: 3990, costFen: 1200 });
    const json = JSON.stringify(view);
    for (const secret of ['openid', 'oXyZ', '138001', '139001', '浦东', '长安街', '张三丰', '李小龙', 'u-1001', 'u-1002', 'ord-secret', 'costFen', 'javascript:']) {
      expect(json).not.toContain(secret);
    }
    expect(view).toMatchObject({ status: 'OPEN', statusLabel: '拼团中', size: 4, seatsLeft: 2, deadline: g.deadline, joinable: true });
    expect(view.members).toEqual([
      { nickname: '张**', avatarUrl: 'https://thirdwx.qlogo.cn/a.png', leader: true, robot: false },
      { nickname: '李**', avatarUrl: null, leader: false, robot: false },
    ]);
  });

  it('shows robot members as such', () => {
    const d = deal({ robotFill: true });
    const g = ok(applyGroupEvent(open(d), { type: 'DEADLINE' }, T0 + 1440 * MIN)).group;
    const view = landingView(g, [], { id: 'p', name: '坚果', priceFen: 4990, groupPriceFen: 3990 });
    expect(view.members.map((m) => [m.nickname, m.robot])).toEqual([
      ['微信用户', false],
      ['系统补位', true],
      ['系统补位', true],
    ]);
    expect(view).toMatchObject({ status: 'SUCCESS', statusLabel: GROUP_STATUS_LABEL.SUCCESS, seatsLeft: 0, joinable: false });
  });
});

describe('share links', () => {
  const bytes = (...values: number[]) => {
    let i = 0;
    return (n: number) => Uint8Array.from({ length: n }, () => values[i++ % values.length]!);
  };

  it('makes short alphanumeric tokens from the random source passed in', () => {
    const token = newShareToken(bytes(0, 1, 61, 62, 25, 26));
    expect(token).toBe('AB9AZa'.repeat(2));
    expect(isShareToken(token)).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.integer({ min: 8, max: 16 }), (pool, length) => {
        let i = 0;
        const t = newShareToken((n) => Uint8Array.from({ length: n }, () => (i < pool.length ? pool[i++]! : i++ % 62)), length);
        expect(t).toHaveLength(length);
        expect(t).toMatch(/^[A-Za-z0-9]{8,16}$/);
      }),
    );
  });

  it('skips bytes that would bias the alphabet, and fails loudly on a broken random source', () => {
    expect(newShareToken(bytes(248, 255, 3))).toBe('D'.repeat(12));
    expect(() => newShareToken(() => new Uint8Array(24).fill(250))).toThrow();
  });

  it('builds the share path and the mini-program code scene', () => {
    const token = 'aB3dE5gH7jK9';
    expect(sharePath(token)).toBe('/packageGroup/pages/landing/index?t=aB3dE5gH7jK9');
    expect(sharePath(token).startsWith('/')).toBe(true);
    expect(shareScene(token)).toBe('t=aB3dE5gH7jK9');
    // getwxacodeunlimit's scene holds at most 32 characters.
    expect(shareScene('A'.repeat(16)).length).toBeLessThanOrEqual(32);
    expect(GROUP_LANDING_CODE_PAGE).toBe('packageGroup/pages/landing/index');
    expect(() => sharePath('../../x')).toThrow(RangeError);
    expect(() => shareScene('A'.repeat(17))).toThrow(RangeError);
  });

  it('reads the token back from a share card query or a scanned code’s scene', () => {
    expect(tokenFromLandingQuery({ t: 'aB3dE5gH7jK9' })).toBe('aB3dE5gH7jK9');
    expect(tokenFromLandingQuery({ scene: encodeURIComponent('t=aB3dE5gH7jK9') })).toBe('aB3dE5gH7jK9');
    expect(tokenFromLandingQuery({ scene: 't=aB3dE5gH7jK9' })).toBe('aB3dE5gH7jK9');
    expect(tokenFromLandingQuery({ t: 'short' })).toBeNull();
    expect(tokenFromLandingQuery({ scene: '%E0%A4%A' })).toBeNull();
    expect(tokenFromLandingQuery({ scene: 'g=1&u=2' })).toBeNull();
    expect(tokenFromLandingQuery(undefined)).toBeNull();
    expect(isShareToken(42)).toBe(false);
  });

  it('titles the share card with the seats left and the price', () => {
    expect(shareTitle('每日坚果', 2, 3990)).toBe('还差2人成团｜¥39.90 拼每日坚果');
    expect(shareTitle('每日坚果', 0, 3990)).toBe('¥39.90 拼每日坚果');
  });
});

describe('messages', () => {
  it('speaks Chinese to shoppers', () => {
    expect(GROUP_REFUSALS).toMatchObject({
      GROUP_ENDED: '拼团已结束',
      GROUP_FULL: '拼团已满',
      GROUP_EXPIRED: '已超过拼团时间',
      ALREADY_MEMBER: '你已在团中',
    });
    expect(Object.values(GROUP_STATUS_LABEL)).toEqual(['拼团中', '拼团成功', '拼团失败']);
    expect(START).toBeLessThan(T0);
  });
});
