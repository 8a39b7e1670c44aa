/**
 * Model-based test of the group state machine: random sequences of paid joins (at random times, some by the same
 * shopper, some repeated notifications), FILLs and deadline checks, run against a plain model of what should happen,
 * the way the group service drives the rules (apply, then carry out the effects).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CampaignSchema, parseShanghaiTime, type GroupDealCampaign } from '../src/campaigns/index';
import {
  applyGroupEvent,
  groupPrice,
  openGroup,
  type Group,
  type GroupEffect,
  type GroupRefund,
  type Joiner,
} from '../src/group-buy/index';

const MIN = 60_000;
const T0 = parseShanghaiTime('2026-12-10 10:00')!;

interface Setup {
  size: number;
  timeLimitMinutes: number;
  /** The campaign ends this long after the leader pays; below the time limit the group's deadline is capped. */
  campaignLeftMs: number;
  onFull: 'new_group' | 'refund';
  robotFill: boolean;
  leaderFree: boolean;
  leaderDiscountFen: number;
}

const setupArb: fc.Arbitrary<Setup> = fc
  .record({
    size: fc.integer({ min: 2, max: 10 }),
    timeLimitMinutes: fc.integer({ min: 5, max: 1440 }),
    capped: fc.boolean(),
    capShare: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    onFull: fc.constantFrom('new_group' as const, 'refund' as const),
    robotFill: fc.boolean(),
    leaderFree: fc.boolean(),
    leaderDiscountFen: fc.integer({ min: 0, max: 2000 }),
  })
  .map(({ capped, capShare, ...s }) => ({
    ...s,
    campaignLeftMs: capped ? Math.max(1, Math.floor(s.timeLimitMinutes * MIN * capShare)) : s.timeLimitMinutes * MIN * 3,
  }));

const GROUP_PRICE = 3990;

function makeDeal(s: Setup): GroupDealCampaign {
  const deal = CampaignSchema.parse({
    id: 'model-group',
    name: '模型测试团',
    type: 'group_deal',
    window: { start: '2026-12-01 00:00', end: '2027-12-01 00:00' },
    productId: 'p-1',
    skus: [
      s.leaderFree || s.leaderDiscountFen === 0
        ? { skuId: 'sku-1', groupPriceFen: GROUP_PRICE }
        : { skuId: 'sku-1', groupPriceFen: GROUP_PRICE, leaderPriceFen: GROUP_PRICE - s.leaderDiscountFen },
    ],
    groupSize: s.size,
    timeLimitMinutes: s.timeLimitMinutes,
    stockQuota: 1000,
    leaderFree: s.leaderFree,
    robotFill: s.robotFill,
    onFull: s.onFull,
  }) as GroupDealCampaign;
  // The campaign's end relative to the leader's payment is what the property varies; the window text cannot say
  // milliseconds, so it is set here.
  return { ...deal, window: { startAt: deal.window.startAt, endAt: T0 + s.campaignLeftMs } };
}

type Outcome = 'SEAT' | 'NEW_GROUP' | 'REFUND';

interface Model {
  setup: Setup;
  campaignEndAt: number;
  deadline: number;
  now: number;
  status: 'OPEN' | 'SUCCESS' | 'FAILED';
  /** Seated shoppers in seat order (leader first) and their orders. */
  seatedUsers: string[];
  seatedOrders: string[];
}

interface Real {
  deal: GroupDealCampaign;
  group: Group;
  now: number;
  /** Every confirmed payment, by order. */
  payments: Map<string, Joiner>;
  /** What became of each payment: exactly one entry per order. */
  outcomes: Map<string, Outcome>;
  /** Refunds of payers who got no seat. */
  payerRefunds: GroupRefund[];
  /** Refunds made when the group closed (failure, or the leader-free rebate). */
  closeRefunds: GroupRefund[];
  readyOrders: string[];
  newGroups: Group[];
  orderSeq: number;
}

type Cmd = fc.Command<Model, Real>;

function record(real: Real, orderId: string, outcome: Outcome): void {
  expect(real.outcomes.has(orderId), `order ${orderId} decided twice`).toBe(false);
  real.outcomes.set(orderId, outcome);
}

function carryOut(real: Real, effects: GroupEffect[]): void {
  for (const e of effects) {
    if (e.kind === 'REFUND') {
      const { kind: _kind, ...refund } = e;
      real.closeRefunds.push(refund);
    }
    if (e.kind === 'ORDER_READY') real.readyOrders.push(e.orderId);
  }
}

function applyFill(real: Real): void {
  const t = applyGroupEvent(real.group, { type: 'FILL' }, real.now);
  expect(t.ok).toBe(true);
  if (!t.ok) return;
  real.group = t.group;
  carryOut(real, t.effects);
}

function predictJoin(m: Model, userId: string): Outcome {
  if (m.seatedUsers.includes(userId)) return 'REFUND';
  if (m.status === 'FAILED') return 'REFUND';
  // A SUCCESS group is full even when robots took the free seats.
  if (m.status === 'SUCCESS' || m.seatedUsers.length >= m.setup.size)
    return m.setup.onFull === 'new_group' && m.now < m.campaignEndAt ? 'NEW_GROUP' : 'REFUND';
  if (m.now >= m.deadline) return 'REFUND';
  return 'SEAT';
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.now += this.ms;
    r.now += this.ms;
  }
  toString = () => `Advance(${this.ms})`;
}

/** Jumps to just before, exactly at, or just after the deadline: the boundary is where bugs live. */
class ToDeadline implements Cmd {
  constructor(readonly offset: -1 | 0 | 1) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.now = Math.max(m.now, m.deadline + this.offset);
    r.now = m.now;
  }
  toString = () => `ToDeadline(${this.offset})`;
}

class Pay implements Cmd {
  constructor(
    readonly user: number,
    /** Apply FILL as soon as it is asked for, or leave it pending (a slow second step). */
    readonly fillNow: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const userId = `u-${this.user}`;
    const joiner: Joiner = {
      userId,
      orderId: `o-${++r.orderSeq}`,
      skuId: 'sku-1',
      paidFen: groupPrice(r.deal, 'sku-1', 'member'),
      inviterId: 'u-0',
    };
    r.payments.set(joiner.orderId, joiner);
    const expected = predictJoin(m, userId);
    const t = applyGroupEvent(r.group, { type: 'JOIN_PAID', joiner }, r.now);
    if (t.ok) {
      expect(t.changed).toBe(true);
      record(r, joiner.orderId, 'SEAT');
      r.group = t.group;
      m.seatedUsers.push(userId);
      m.seatedOrders.push(joiner.orderId);
      const fills = t.effects.some((e) => e.kind === 'FILL');
      expect(fills).toBe(m.seatedUsers.length === m.setup.size);
      if (fills && this.fillNow) {
        applyFill(r);
        m.status = 'SUCCESS';
      }
    } else {
      expect(t.payer, `${t.code} without a payer outcome`).toBeDefined();
      const p = t.payer!;
      record(r, joiner.orderId, p.then);
      if (p.then === 'REFUND') {
        expect(p.refund).toMatchObject({ orderId: joiner.orderId, userId, amountFen: joiner.paidFen, releaseStock: true });
        r.payerRefunds.push(p.refund);
      } else {
        const opened = openGroup({ groupId: `g-new-${joiner.orderId}`, deal: r.deal, leader: joiner, now: r.now });
        expect(opened.ok).toBe(true);
        if (opened.ok) r.newGroups.push(opened.group);
      }
    }
    expect(r.outcomes.get(joiner.orderId)).toBe(expected);
  }
  toString = () => `Pay(u-${this.user}${this.fillNow ? '' : ', fill later'})`;
}

/** WeChat delivers the same notification again for an order that holds a seat. */
class Replay implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.seatedOrders.length > 0;
  run(m: Model, r: Real): void {
    const orderId = m.seatedOrders[this.pick % m.seatedOrders.length]!;
    const before = r.group;
    const t = applyGroupEvent(r.group, { type: 'JOIN_PAID', joiner: r.payments.get(orderId)! }, r.now);
    expect(t).toEqual({ ok: true, group: before, changed: false, effects: [] });
  }
  toString = () => `Replay(${this.pick})`;
}

class Fill implements Cmd {
  check = () => true;
  run(m: Model, r: Real): void {
    const t = applyGroupEvent(r.group, { type: 'FILL' }, r.now);
    if (m.status === 'FAILED') return void expect(t).toMatchObject({ ok: false, code: 'GROUP_ENDED' });
    if (m.status === 'SUCCESS') return void expect(t).toMatchObject({ ok: true, changed: false });
    if (m.seatedUsers.length < m.setup.size) return void expect(t).toMatchObject({ ok: false, code: 'NOT_FULL' });
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    r.group = t.group;
    carryOut(r, t.effects);
    m.status = 'SUCCESS';
  }
  toString = () => 'Fill';
}

class Deadline implements Cmd {
  check = () => true;
  run(m: Model, r: Real): void {
    const t = applyGroupEvent(r.group, { type: 'DEADLINE' }, r.now);
    if (m.status !== 'OPEN') return void expect(t).toMatchObject({ ok: true, changed: false, effects: [] });
    if (m.now < m.deadline) return void expect(t).toMatchObject({ ok: false, code: 'NOT_DUE' });
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    r.group = t.group;
    carryOut(r, t.effects);
    m.status = m.seatedUsers.length >= m.setup.size || m.setup.robotFill ? 'SUCCESS' : 'FAILED';
  }
  toString = () => 'Deadline';
}

function checkInvariants(m: Model, r: Real): void {
  const g = r.group;
  const real = g.members.filter((x) => !x.robot);
  const robots = g.members.filter((x) => x.robot);
  expect(g.members.length).toBeLessThanOrEqual(m.setup.size);
  expect(g.status).toBe(m.status);
  expect(real.map((x) => x.userId)).toEqual(m.seatedUsers);
  expect(new Set(real.map((x) => x.orderId)).size).toBe(real.length);
  expect(real[0]).toMatchObject({ role: 'leader', userId: 'u-0' });
  expect(robots.every((x) => x.orderId === null && x.paidFen === 0)).toBe(true);
  if (robots.length > 0) {
    expect(g.status).toBe('SUCCESS');
    expect(m.setup.robotFill).toBe(true);
    expect(robots.length).toBeLessThanOrEqual(m.setup.size - 1);
  }
  // Every payment has exactly one outcome so far.
  expect([...r.outcomes.keys()].sort()).toEqual([...r.payments.keys()].sort());
}

const commandsArb = (s: Setup) => {
  // Payments are listed several times so most runs fill their group and go on to race for seats past it; time moves
  // in small steps for the same reason, with a jump to the deadline now and then.
  const pay = fc.tuple(fc.integer({ min: 0, max: s.size + 3 }), fc.boolean()).map(([u, f]) => new Pay(u, f));
  return fc.commands<Model, Real>(
    [
      pay,
      pay,
      pay,
      pay,
      fc.integer({ min: 0, max: Math.ceil((s.timeLimitMinutes * MIN) / 10) }).map((ms) => new Advance(ms)),
      fc.constantFrom(-1 as const, 0 as const, 1 as const).map((o) => new ToDeadline(o)),
      fc.nat().map((k) => new Replay(k)),
      fc.constant(new Fill()),
      fc.constant(new Deadline()),
    ],
    { maxCommands: 80, size: 'medium' },
  );
};

describe('group state machine, model-based', () => {
  it('never overfills, leaves no payer charged without a seat, refunds every member of a failed group once', () => {
    // What the runs went through, so a generator that drifts into only trivial cases fails the test too.
    const seen = new Map<string, number>();
    const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
    fc.assert(
      fc.property(setupArb.chain((s) => fc.tuple(fc.constant(s), commandsArb(s))), ([s, cmds]) => {
        const deal = makeDeal(s);
        const leader: Joiner = { userId: 'u-0', orderId: 'o-0', skuId: 'sku-1', paidFen: groupPrice(deal, 'sku-1', 'leader') };
        const opened = openGroup({ groupId: 'g-1', deal, leader, now: T0 });
        if (!opened.ok) throw new Error(opened.message);
        const real: Real = {
          deal,
          group: opened.group,
          now: T0,
          payments: new Map([[leader.orderId, leader]]),
          outcomes: new Map([[leader.orderId, 'SEAT']]),
          payerRefunds: [],
          closeRefunds: [],
          readyOrders: [],
          newGroups: [],
          orderSeq: 0,
        };
        const model: Model = {
          setup: s,
          campaignEndAt: T0 + s.campaignLeftMs,
          deadline: Math.min(T0 + s.timeLimitMinutes * MIN, T0 + s.campaignLeftMs),
          now: T0,
          status: 'OPEN',
          seatedUsers: ['u-0'],
          seatedOrders: ['o-0'],
        };
        expect(opened.group.deadline).toBe(model.deadline);

        fc.modelRun(() => ({ model, real }), cmds);
        checkInvariants(model, real);

        // Let time run out and the deadline fire, as the schedule or the sweeper will.
        new ToDeadline(0).run(model, real);
        new Deadline().run(model, real);
        checkInvariants(model, real);
        const g = real.group;
        expect(g.status).not.toBe('OPEN');
        saw(g.status);
        if (g.members.some((x) => x.robot)) saw('ROBOT_FILL');
        if (g.deadline < T0 + s.timeLimitMinutes * MIN) saw('CAPPED');
        for (const outcome of real.outcomes.values()) saw(outcome);
        if (g.status === 'FAILED' && g.members.length > 1) saw('FAILED_WITH_MEMBERS');
        if ([...real.outcomes.keys()].length > s.size + 1) saw('CROWDED');

        // Seats never exceed the size; a payer is seated, moved to a new group, or refunded — exactly one of them.
        const seated = g.members.filter((x) => !x.robot).map((x) => x.orderId!);
        expect(seated.length).toBeLessThanOrEqual(s.size);
        for (const [orderId, outcome] of real.outcomes) {
          expect(outcome === 'SEAT').toBe(seated.includes(orderId));
          const payerRefunds = real.payerRefunds.filter((x) => x.orderId === orderId);
          const moved = real.newGroups.filter((x) => x.members[0]!.orderId === orderId);
          expect(payerRefunds.length).toBe(outcome === 'REFUND' ? 1 : 0);
          expect(moved.length).toBe(outcome === 'NEW_GROUP' ? 1 : 0);
        }
        for (const ng of real.newGroups) {
          expect(ng.members).toHaveLength(1);
          expect(ng.members[0]!.role).toBe('leader');
          expect(ng.deadline).toBeGreaterThan(ng.openedAt);
        }

        if (g.status === 'FAILED') {
          // Every member, the leader included, exactly once, everything they paid, nothing shipped.
          expect(real.closeRefunds.map((x) => x.orderId).sort()).toEqual([...seated].sort());
          for (const x of real.closeRefunds) {
            expect(x.reason).toBe('GROUPFAILED');
            expect(x.amountFen).toBe(real.payments.get(x.orderId)!.paidFen);
          }
          expect(real.readyOrders).toEqual([]);
        } else {
          // Nobody seated is refunded, except the free leader's rebate; every seated order ships.
          expect(real.readyOrders.sort()).toEqual([...seated].sort());
          const expectedRebate = s.leaderFree ? [{ orderId: 'o-0', amountFen: GROUP_PRICE, reason: 'GROUPLEADER' }] : [];
          expect(real.closeRefunds.map(({ orderId, amountFen, reason }) => ({ orderId, amountFen, reason }))).toEqual(expectedRebate);
        }

        // No order is refunded twice, and every out_refund_no is distinct.
        const all = [...real.payerRefunds, ...real.closeRefunds];
        expect(new Set(all.map((x) => x.orderId)).size).toBe(all.length);
        expect(new Set(all.map((x) => x.outRefundNo)).size).toBe(all.length);
      }),
      { numRuns: 400 },
    );
    for (const what of ['SUCCESS', 'FAILED', 'FAILED_WITH_MEMBERS', 'ROBOT_FILL', 'CAPPED', 'SEAT', 'NEW_GROUP', 'REFUND', 'CROWDED'])
      expect(seen.get(what) ?? 0, what).toBeGreaterThan(0);
  });
});
