/**
 * Points and member levels in the table. Every change of a member's points is ONE transaction of:
 *   - a ledger entry `PTS#<businessId>` put with attribute_not_exists (a replayed event fails on it by itself),
 *   - the balance `POINTS` moved by conditional ADD only (`available >= :n` on every take, `pending >= :n` likewise),
 *   - the lots it credits or consumes, each with a condition on the `remaining` it was planned on.
 * Invariants (checked by the tests after every step): the ledger's `delta`s sum to `available`, its `pendingDelta`s
 * to `pending`; the available lots' `remaining` sum to `available`, the pending lots' to `pending`; nothing negative.
 *
 *   balance      USER#<uid> / POINTS                 {available, pending, lifetime, spent, expired, reversed, shortfall}
 *   entry        USER#<uid> / PTS#<businessId>       GSI1 USER#<uid>#POINTS / <at>#<businessId>
 *   month lot    USER#<uid> / PTSLOT#M#<yyyy-mm>     status AVAILABLE → EXPIRED; GSI3 DUE#PTSEXPIRY until expired
 *   pending lot  USER#<uid> / PTSLOT#P#<orderId>     status PENDING → RELEASED; GSI3 DUE#PTSPENDING until released
 *   member       USER#<uid> / MEMBER                 {level, spentFen, invites, growthRev, gs_<yyyymm>, gi_<yyyymm>}
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError, fifoPlan, type MemberLevel } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { transact, TransactionRefused, type LabelledItem } from './transactions';
import type { CouponItem } from './coupon-repo';

type EntrySource =
  | 'ORDER'
  | 'RELEASE'
  | 'CHECKIN'
  | 'INVITE'
  | 'REVIEW'
  | 'FEEDBACK'
  | 'GIFT'
  | 'REDEEM'
  | 'SPEND'
  | 'EXPIRE'
  | 'REVERSAL'
  | 'RETURN';

export interface LedgerEntry {
  businessId: string;
  source: EntrySource;
  /** Change of `available`. */
  delta: number;
  /** Change of `pending`. */
  pendingDelta: number;
  at: number;
  /** The reason in the member's words (积分明细). */
  note: string;
  orderId?: string;
  /** Lots taken (spend, reversal, expiry) or credited: `{lot, points}`. */
  lots?: { lot: string; points: number }[];
  /** Points a reversal could not take back (spent already; the balance never goes negative). */
  shortfall?: number;
  /** ORDER entries: what the order earned and the refunds accounted for so far (proportional reversal). */
  earned?: number;
  paidFen?: number;
  accountedFen?: number;
  /** SPEND / REDEEM entries: points spent, and for a spend on an order the refunds accounted for. */
  spent?: number;
  /** REDEEM entries: the 积分商城 item and what was granted. */
  mallItemId?: string;
  couponId?: string;
  giftStatus?: 'TO_SHIP';
}

export interface PointsBalance {
  available: number;
  pending: number;
  lifetime: number;
  spent: number;
  expired: number;
  reversed: number;
  shortfall: number;
}

type LotStatus = 'AVAILABLE' | 'EXPIRED' | 'PENDING' | 'RELEASED';

export interface PointsLot {
  lotId: string;
  userId: string;
  status: LotStatus;
  amount: number;
  remaining: number;
  /** Month lots: the month; pending lots: the order's payment time. */
  earnedAt: number;
  expiresAt: number;
  /** Pending lots: when they become available, and the month lot they move into. */
  availableAt?: number;
  month?: string;
  orderId?: string;
  expiredPoints?: number;
}

export interface MemberItem {
  userId: string;
  level: MemberLevel;
  spentFen: number;
  invites: number;
  /** Counts every growth write: a level decided on a read applies only if nothing moved in between. */
  growthRev: number;
  levelSince: number | null;
  reviewAt?: number | null;
  [bucket: `gs_${string}` | `gi_${string}`]: number;
}

const EMPTY_BALANCE: PointsBalance = { available: 0, pending: 0, lifetime: 0, spent: 0, expired: 0, reversed: 0, shortfall: 0 };
const monthLotId = (month: string) => `M#${month}`;
const pendingLotId = (orderId: string) => `P#${orderId}`;
const bucket = (month: string) => month.replace('-', '');

function strip<T>(item: Record<string, unknown> | undefined): T | null {
  if (!item) return null;
  const { PK: _1, SK: _2, type: _3, GSI1PK: _4, GSI1SK: _5, GSI3PK: _6, GSI3SK: _7, ...rest } = item;
  return rest as T;
}

async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, ExclusiveStartKey }));
    out.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

// ───────────── transaction items ─────────────

/** The ledger entry: created only if new, so the transaction that carries it happens once per business event. */
function entryItem(userId: string, entry: LedgerEntry): LabelledItem {
  return {
    label: 'pointsEntry',
    Put: {
      TableName: table(),
      Item: { ...keys.pointsEntry(userId, entry.businessId), ...keys.pointsHistory(userId, entry.at, entry.businessId), type: 'pointsEntry', userId, ...entry },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Conditional ADDs on the balance; every counter that goes down is guarded by `>= :n`. */
function balanceItem(userId: string, change: Partial<PointsBalance>): LabelledItem {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds: string[] = [];
  const guards: string[] = [];
  for (const [k, v] of Object.entries(change)) {
    if (!v) continue;
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    adds.push(`#${k} :${k}`);
    if (v < 0) {
      values[`:min_${k}`] = -v;
      guards.push(`#${k} >= :min_${k}`);
    }
  }
  return {
    label: 'pointsBalance',
    Update: {
      TableName: table(),
      Key: keys.pointsBalance(userId),
      UpdateExpression: adds.length ? `SET #type = :type ADD ${adds.join(', ')}` : 'SET #type = :type',
      ConditionExpression: guards.length ? guards.join(' AND ') : undefined,
      ExpressionAttributeNames: { ...names, '#type': 'type' },
      ExpressionAttributeValues: { ...values, ':type': 'pointsBalance' },
    },
  };
}

/** Adds points to a month's lot (creating it), which makes it AVAILABLE and puts it on the expiry index. */
function creditMonthLot(userId: string, month: string, points: number, expiresAt: number, earnedAt: number): LabelledItem {
  const lotId = monthLotId(month);
  return {
    label: `pointsLot:${lotId}`,
    Update: {
      TableName: table(),
      Key: keys.pointsLot(userId, lotId),
      UpdateExpression:
        'SET #type = :type, lotId = :lot, userId = :uid, #month = :month, expiresAt = :exp, earnedAt = if_not_exists(earnedAt, :earned), #st = :avail, GSI3PK = :g3pk, GSI3SK = :g3sk ADD amount :n, remaining :n',
      // An expired lot is closed for good: nothing is credited into it (the caller picks another month).
      ConditionExpression: 'attribute_not_exists(PK) OR #st <> :expired',
      ExpressionAttributeNames: { '#type': 'type', '#st': 'status', '#month': 'month' },
      ExpressionAttributeValues: {
        ':type': 'pointsLot',
        ':lot': lotId,
        ':uid': userId,
        ':month': month,
        ':exp': expiresAt,
        ':earned': earnedAt,
        ':avail': 'AVAILABLE',
        ':expired': 'EXPIRED',
        ':n': points,
        ':g3pk': keys.pointsExpiryDue(expiresAt, userId, lotId).GSI3PK,
        ':g3sk': keys.pointsExpiryDue(expiresAt, userId, lotId).GSI3SK,
      },
    },
  };
}

/**
 * Takes `take` points out of a lot: applies only while the lot is still in the status planned on and still holds them
 * (`remaining >= :take`), so concurrent spends of one lot do not refuse each other and a lot that ran short makes the
 * caller plan again. A used-up month lot stays on the expiry index and expires with 0 points.
 */
function takeFromLot(userId: string, lot: Pick<PointsLot, 'lotId' | 'status'>, take: number): LabelledItem {
  return {
    label: `pointsLot:${lot.lotId}`,
    Update: {
      TableName: table(),
      Key: keys.pointsLot(userId, lot.lotId),
      UpdateExpression: 'SET remaining = remaining - :take',
      ConditionExpression: '#st = :st AND remaining >= :take',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':take': take, ':st': lot.status },
    },
  };
}

function monthBucketAdds(prefix: 'gs' | 'gi', month: string, n: number, names: Record<string, string>, values: Record<string, unknown>): string {
  names[`#${prefix}`] = `${prefix}_${bucket(month)}`;
  values[`:${prefix}`] = n;
  return `#${prefix} :${prefix}`;
}

export interface GrowthChange {
  spentFen?: number;
  invites?: number;
  /** The month the growth counts for (yearly review sums the last 12). */
  month: string;
  /** The level after the change (written with it), and why, for the history. */
  level: MemberLevel;
  reason: string;
  at: number;
  /** When the yearly review of this member is next due (null: none). */
  reviewAt: number | null;
}

/**
 * Moves a member's growth and, when it changes, the level, in the same transaction as the event — applied only if
 * `growthRev` is still the one the level was computed from. A level change is recorded in the level history.
 */
function growthItems(userId: string, seen: MemberItem | null, change: GrowthChange): LabelledItem[] {
  const names: Record<string, string> = { '#type': 'type', '#level': 'level' };
  const values: Record<string, unknown> = { ':type': 'member', ':uid': userId, ':level': change.level, ':one': 1 };
  const adds = ['growthRev :one'];
  if (change.spentFen) {
    adds.push('spentFen :spent', monthBucketAdds('gs', change.month, change.spentFen, names, values));
    values[':spent'] = change.spentFen;
  }
  if (change.invites) {
    adds.push('invites :inv', monthBucketAdds('gi', change.month, change.invites, names, values));
    values[':inv'] = change.invites;
  }
  const levelChanged = (seen?.level ?? 'NORMAL') !== change.level;
  const sets = ['#type = :type', 'userId = :uid', '#level = :level'];
  if (levelChanged) {
    sets.push('levelSince = :at');
    values[':at'] = change.at;
  }
  let remove = '';
  if (change.reviewAt !== null) {
    const due = keys.levelReviewDue(change.reviewAt, userId);
    sets.push('reviewAt = :rev', 'GSI3PK = :g3pk', 'GSI3SK = :g3sk');
    Object.assign(values, { ':rev': change.reviewAt, ':g3pk': due.GSI3PK, ':g3sk': due.GSI3SK });
  } else {
    remove = ' REMOVE reviewAt, GSI3PK, GSI3SK';
  }
  if (seen) values[':rev0'] = seen.growthRev;
  const items: LabelledItem[] = [
    {
      label: 'member',
      Update: {
        TableName: table(),
        Key: keys.member(userId),
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}${remove}`,
        ConditionExpression: seen ? 'growthRev = :rev0' : 'attribute_not_exists(growthRev)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  ];
  if (levelChanged) {
    items.push({
      label: 'levelLog',
      Put: {
        TableName: table(),
        Item: {
          ...keys.levelLog(userId, change.at, (seen?.growthRev ?? 0) + 1),
          type: 'levelLog',
          userId,
          from: seen?.level ?? 'NORMAL',
          to: change.level,
          at: change.at,
          reason: change.reason,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
  }
  return items;
}

/** Moves an ORDER / SPEND entry's accounted refunds from the value the plan was made on. */
function accountedItem(label: string, userId: string, e: { businessId: string; seenFen: number; newFen: number }): LabelledItem {
  return {
    label,
    Update: {
      TableName: table(),
      Key: keys.pointsEntry(userId, e.businessId),
      UpdateExpression: 'SET accountedFen = :new',
      ConditionExpression: 'accountedFen = :seen',
      ExpressionAttributeValues: { ':new': e.newFen, ':seen': e.seenFen },
    },
  };
}

/** A coupon granted by the 积分商城, created with the redemption (the shopper's partition, only if new). */
function couponGrantItem(coupon: CouponItem): LabelledItem {
  return {
    label: 'coupon',
    Put: { TableName: table(), Item: { ...keys.coupon(coupon.userId, coupon.id), type: 'coupon', ...coupon }, ConditionExpression: 'attribute_not_exists(PK)' },
  };
}

/** What a points transaction refused, as the service needs it. */
export type PointsRefusal = 'replayed' | 'stale' | 'insufficient' | 'capped' | 'sold_out' | 'limit';

function refusalOf(e: TransactionRefused): PointsRefusal {
  const failed = e.failed();
  if (failed.includes('pointsEntry')) return 'replayed';
  if (failed.includes('pointsCap')) return 'capped';
  if (failed.includes('mallStock')) return 'sold_out';
  if (failed.includes('mallLimit')) return 'limit';
  if (failed.some((l) => l.startsWith('pointsLot:') || l === 'member' || l === 'orderEntry' || l === 'spendEntry' || l === 'checkIn')) return 'stale';
  if (failed.includes('pointsBalance')) return 'insufficient';
  return 'stale';
}

/** Runs one points transaction; a refusal comes back as its reason (anything else is thrown). */
async function run(items: LabelledItem[]): Promise<'applied' | PointsRefusal> {
  try {
    await transact(items, { maxConflictRetries: 20 });
    return 'applied';
  } catch (e) {
    if (e instanceof TransactionRefused) {
      if (e.conflicted()) return 'stale';
      return refusalOf(e);
    }
    throw e;
  }
}

export interface Spend {
  userId: string;
  businessId: string;
  source: 'SPEND' | 'REDEEM';
  points: number;
  at: number;
  note: string;
  orderId?: string;
  extra?: Partial<LedgerEntry>;
}

export const pointsRepo = {
  monthLotId,
  pendingLotId,

  // ───── reads (consistent: each plan is made on what is there now; its conditions catch anything later) ─────

  async balance(userId: string): Promise<PointsBalance> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.pointsBalance(userId), ConsistentRead: true }));
    return { ...EMPTY_BALANCE, ...(strip<Partial<PointsBalance>>(out.Item) ?? {}) };
  },

  async entry(userId: string, businessId: string): Promise<(LedgerEntry & { userId: string }) | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.pointsEntry(userId, businessId), ConsistentRead: true }));
    return strip(out.Item);
  },

  async lots(userId: string): Promise<PointsLot[]> {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':p': keys.pointsLotPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => strip<PointsLot>(i)!);
  },

  async lot(userId: string, lotId: string): Promise<PointsLot | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.pointsLot(userId, lotId), ConsistentRead: true }));
    return strip(out.Item);
  },

  async entries(userId: string, prefix: string): Promise<LedgerEntry[]> {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':p': `${keys.pointsEntryPrefix}${prefix}` },
      ConsistentRead: true,
    });
    return items.map((i) => strip<LedgerEntry>(i)!);
  },

  /** The ledger newest first, one page (积分明细); `after` is the GSI1SK of the last entry shown. */
  async history(userId: string, limit: number, after?: string): Promise<{ items: LedgerEntry[]; last: string | null }> {
    const pk = keys.pointsHistoryPartition(userId);
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: after ? 'GSI1PK = :pk AND GSI1SK < :after' : 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(after ? { ':after': after } : {}) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const items = out.Items ?? [];
    return {
      items: items.map((i) => strip<LedgerEntry>(i)!),
      last: out.LastEvaluatedKey && items.length ? String(items[items.length - 1].GSI1SK) : null,
    };
  },

  async dayEarned(userId: string, day: string, source: string): Promise<number> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.pointsDayCap(userId, day, source), ConsistentRead: true }));
    return Number(out.Item?.earned ?? 0);
  },

  async member(userId: string): Promise<MemberItem | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.member(userId), ConsistentRead: true }));
    return strip(out.Item);
  },

  async levelHistory(userId: string): Promise<{ from: MemberLevel; to: MemberLevel; at: number; reason: string }[]> {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':p': keys.levelLogPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => strip<{ from: MemberLevel; to: MemberLevel; at: number; reason: string }>(i)!);
  },

  async checkInState(userId: string): Promise<{ day: string; streak: number } | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.checkInState(userId), ConsistentRead: true }));
    return out.Item ? { day: String(out.Item.day), streak: Number(out.Item.streak) } : null;
  },

  async mallCounts(itemIds: string[], userId: string | null): Promise<{ redeemed: Map<string, number>; mine: Map<string, number> }> {
    const redeemed = new Map<string, number>();
    const mine = new Map<string, number>();
    await Promise.all(
      itemIds.map(async (id) => {
        const [s, m] = await Promise.all([
          db().send(new GetCommand({ TableName: table(), Key: keys.mallStock(id) })),
          userId ? db().send(new GetCommand({ TableName: table(), Key: keys.mallBought(userId, id) })) : Promise.resolve({ Item: undefined }),
        ]);
        redeemed.set(id, Number(s.Item?.redeemed ?? 0));
        mine.set(id, Number(m.Item?.count ?? 0));
      }),
    );
    return { redeemed, mine };
  },

  /** The shopper's paid orders (id, paidAt): whether an order was their first paid one (invite rewards). */
  async paidOrders(userId: string): Promise<{ id: string; paidAt: number }[]> {
    const items = await queryAll({
      TableName: table(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: 'paidAt > :zero',
      ProjectionExpression: 'id, paidAt',
      ExpressionAttributeValues: { ':pk': keys.userOrders(userId), ':zero': 0 },
    });
    return items.map((i) => ({ id: String(i.id), paidAt: Number(i.paidAt) }));
  },

  /**
   * Receipt ends an order's pending window (services/fulfilment.ts): its pending lot becomes due at `availableAt`
   * instead, only while it is still PENDING. False when there is none or it was released already.
   */
  async reschedulePending(userId: string, orderId: string, availableAt: number): Promise<boolean> {
    const lotId = pendingLotId(orderId);
    const due = keys.pointsPendingDue(availableAt, userId, lotId);
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.pointsLot(userId, lotId),
          UpdateExpression: 'SET availableAt = :at, GSI3SK = :sk',
          ConditionExpression: '#st = :pending',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':at': availableAt, ':sk': due.GSI3SK, ':pending': 'PENDING' },
        }),
      );
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  },

  /** Due work of the jobs: pending lots to release, lots to expire, members to review (oldest first, one page). */
  async due(kind: 'pending' | 'expiry' | 'review', now: number, limit = 100): Promise<{ userId: string; lotId?: string }[]> {
    const pk = kind === 'pending' ? keys.pointsPendingDuePartition : kind === 'expiry' ? keys.pointsExpiryDuePartition : keys.levelReviewDuePartition;
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :before',
        ExpressionAttributeValues: { ':pk': pk, ':before': keys.dueBefore(now) },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({ userId: String(i.userId), lotId: i.lotId === undefined ? undefined : String(i.lotId) }));
  },

  // ───── writes: each one transaction; the answer says whether it applied or why not ─────

  /**
   * Credits earned points: into the month lot (available) or a pending lot of the order, with the ledger entry, the
   * balance, the source's daily-cap counter and any growth — one transaction.
   */
  credit(args: {
    userId: string;
    entry: LedgerEntry;
    lot: { kind: 'month'; month: string; expiresAt: number } | { kind: 'pending'; orderId: string; availableAt: number; month: string; expiresAt: number } | null;
    cap?: { day: string; source: string; cap: number | null; seen: number };
    growth?: { seen: MemberItem | null; change: GrowthChange };
    extra?: LabelledItem[];
  }): Promise<'applied' | PointsRefusal> {
    const { userId, entry, lot } = args;
    const points = entry.delta + entry.pendingDelta;
    const items: LabelledItem[] = [entryItem(userId, entry)];
    if (points > 0 && lot) {
      if (lot.kind === 'month') {
        items.push(creditMonthLot(userId, lot.month, points, lot.expiresAt, entry.at));
        items.push(balanceItem(userId, { available: points, lifetime: points }));
      } else {
        const lotId = pendingLotId(lot.orderId);
        items.push({
          label: `pointsLot:${lotId}`,
          Put: {
            TableName: table(),
            Item: {
              ...keys.pointsLot(userId, lotId),
              ...keys.pointsPendingDue(lot.availableAt, userId, lotId),
              type: 'pointsLot',
              lotId,
              userId,
              status: 'PENDING',
              amount: points,
              remaining: points,
              earnedAt: entry.at,
              availableAt: lot.availableAt,
              month: lot.month,
              expiresAt: lot.expiresAt,
              orderId: lot.orderId,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        items.push(balanceItem(userId, { pending: points, lifetime: points }));
      }
    }
    if (args.cap && args.cap.cap !== null && points > 0) {
      items.push({
        label: 'pointsCap',
        Update: {
          TableName: table(),
          Key: keys.pointsDayCap(userId, args.cap.day, args.cap.source),
          UpdateExpression: 'SET #type = :type ADD earned :n',
          ConditionExpression: args.cap.seen === 0 ? 'attribute_not_exists(earned) OR earned = :zero' : 'earned = :seen',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': 'pointsDayCap', ':n': points, ...(args.cap.seen === 0 ? { ':zero': 0 } : { ':seen': args.cap.seen }) },
        },
      });
    }
    if (args.growth) items.push(...growthItems(userId, args.growth.seen, args.growth.change));
    items.push(...(args.extra ?? []));
    return run(items);
  },

  /** Items recording growth alone (no points), e.g. the inviter's invite count. */
  growthItems,

  /**
   * The items of a spend of `points`, first earned first spent: the balance (`available >= :n`), each lot consumed
   * (on the remaining it was planned on) and the ledger entry. POINTS_INSUFFICIENT when the lots cannot cover it.
   * A checkout puts these items in its own transaction and plans again when a `pointsLot:*` item was refused.
   */
  async spendItems(s: Spend): Promise<LabelledItem[]> {
    const lots = (await this.lots(s.userId)).filter((l) => l.status === 'AVAILABLE');
    const plan = fifoPlan(lots.map((l) => ({ id: l.lotId, remaining: l.remaining, expiresAt: l.expiresAt })), s.points, s.at);
    if (!plan) throw new DomainError('POINTS_INSUFFICIENT');
    return [
      entryItem(s.userId, {
        businessId: s.businessId,
        source: s.source,
        delta: -s.points,
        pendingDelta: 0,
        at: s.at,
        note: s.note,
        spent: s.points,
        lots: plan.map((p) => ({ lot: p.id, points: p.take })),
        ...(s.orderId ? { orderId: s.orderId, accountedFen: 0 } : {}),
        ...s.extra,
      }),
      balanceItem(s.userId, { available: -s.points, spent: s.points }),
      ...plan.map((p) => takeFromLot(s.userId, { lotId: p.id, status: 'AVAILABLE' }, p.take)),
    ];
  },

  /**
   * The items that give back, inside an unpaid order's cancel transaction, the points its checkout spent: each lot
   * gets back what was taken from it while it is still AVAILABLE (a lot that expired since: into the `fallback` month,
   * so the balance and the lots still agree), the balance, one RETURN entry `CANCEL#<orderId>` (once) and the SPEND
   * entry marked accounted in full (`accountedFen`), so no refund returns them again. [] when the order spent none.
   * A refused `pointsLot:*` item (a lot expired meanwhile) means plan again.
   */
  async cancelReturnItems(args: {
    userId: string;
    orderId: string;
    accountFen: number;
    at: number;
    note: string;
    fallback: { month: string; expiresAt: number };
  }): Promise<LabelledItem[]> {
    const { userId, at } = args;
    const spend = await this.entry(userId, `SPEND#${args.orderId}`);
    if (!spend || !spend.spent) return [];
    const lots = new Map((await this.lots(userId)).map((l) => [l.lotId, l]));
    const fallbackId = monthLotId(args.fallback.month);
    const back = new Map<string, number>();
    for (const { lot, points } of spend.lots ?? []) {
      const id = lots.get(lot)?.status === 'AVAILABLE' ? lot : fallbackId;
      back.set(id, (back.get(id) ?? 0) + points);
    }
    return [
      entryItem(userId, {
        businessId: `CANCEL#${args.orderId}`,
        source: 'RETURN',
        delta: spend.spent,
        pendingDelta: 0,
        at,
        note: args.note,
        orderId: args.orderId,
        lots: [...back].map(([lot, points]) => ({ lot, points })),
      }),
      accountedItem('spendEntry', userId, { businessId: spend.businessId, seenFen: spend.accountedFen ?? 0, newFen: args.accountFen }),
      balanceItem(userId, { available: spend.spent, spent: -spend.spent }),
      ...[...back].map(([lotId, points]): LabelledItem =>
        lotId === fallbackId
          ? creditMonthLot(userId, args.fallback.month, points, args.fallback.expiresAt, at)
          : {
              label: `pointsLot:${lotId}`,
              Update: {
                TableName: table(),
                Key: keys.pointsLot(userId, lotId),
                UpdateExpression: 'ADD remaining :n',
                ConditionExpression: '#st = :avail',
                ExpressionAttributeNames: { '#st': 'status' },
                ExpressionAttributeValues: { ':n': points, ':avail': 'AVAILABLE' },
              },
            },
      ),
    ];
  },

  /** A spend with items of its own beside it (a mall redemption's stock and grant), planned again while lots move. */
  async spend(s: Spend, extra: LabelledItem[]): Promise<'applied' | PointsRefusal> {
    for (let attempt = 0; ; attempt++) {
      const result = await run([...(await this.spendItems(s)), ...extra]);
      if (result !== 'stale' || attempt >= 20) return result;
    }
  },

  /**
   * A pending lot becomes available: the lot moves PENDING → RELEASED (on the remaining it had), its points go into
   * the month lot it was earned in, pending → available on the balance, one RELEASE entry. Exactly once.
   */
  release(lot: PointsLot, expiresAt: number, at: number): Promise<'applied' | PointsRefusal> {
    const points = lot.remaining;
    const items: LabelledItem[] = [
      entryItem(lot.userId, {
        businessId: `RELEASE#${lot.orderId}`,
        source: 'RELEASE',
        delta: points,
        pendingDelta: -points,
        at,
        note: '订单积分已到账',
        orderId: lot.orderId,
        lots: [{ lot: monthLotId(lot.month!), points }],
      }),
      {
        label: `pointsLot:${lot.lotId}`,
        Update: {
          TableName: table(),
          Key: keys.pointsLot(lot.userId, lot.lotId),
          UpdateExpression: 'SET #st = :released, remaining = :zero, releasedAt = :at REMOVE GSI3PK, GSI3SK',
          ConditionExpression: '#st = :pending AND remaining = :seen AND availableAt <= :at',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':released': 'RELEASED', ':pending': 'PENDING', ':zero': 0, ':seen': points, ':at': at },
        },
      },
    ];
    if (points > 0) {
      items.push(creditMonthLot(lot.userId, lot.month!, points, expiresAt, lot.earnedAt));
      items.push(balanceItem(lot.userId, { pending: -points, available: points }));
    }
    return run(items);
  },

  /** A month lot past its expiry loses what remains: AVAILABLE → EXPIRED, the balance down by it, one EXPIRE entry. */
  expire(lot: PointsLot, at: number): Promise<'applied' | PointsRefusal> {
    const points = lot.remaining;
    const items: LabelledItem[] = [
      entryItem(lot.userId, {
        businessId: `EXPIRE#${lot.lotId}`,
        source: 'EXPIRE',
        delta: -points,
        pendingDelta: 0,
        at,
        note: `${lot.month} 获得的积分已过期`,
        lots: [{ lot: lot.lotId, points }],
      }),
      {
        label: `pointsLot:${lot.lotId}`,
        Update: {
          TableName: table(),
          Key: keys.pointsLot(lot.userId, lot.lotId),
          UpdateExpression: 'SET #st = :expired, remaining = :zero, expiredPoints = :seen, expiredAt = :at REMOVE GSI3PK, GSI3SK',
          ConditionExpression: '#st = :avail AND remaining = :seen AND expiresAt <= :at',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':expired': 'EXPIRED', ':avail': 'AVAILABLE', ':zero': 0, ':seen': points, ':at': at },
        },
      },
    ];
    if (points > 0) items.push(balanceItem(lot.userId, { available: -points, expired: points }));
    return run(items);
  },

  /**
   * A refund's reversal: the REVERSAL entry, the order entry's accounted refunds moved from what they were (so two
   * refunds of one order cannot both account the same share), the points taken from the lots planned, the shortfall
   * recorded, and the growth (spend net of refunds) — one transaction.
   */
  reverse(args: {
    userId: string;
    entry: LedgerEntry;
    orderEntry: { businessId: string; seenFen: number; newFen: number } | null;
    takes: { lot: PointsLot; take: number }[];
    growth: { seen: MemberItem | null; change: GrowthChange } | null;
  }): Promise<'applied' | PointsRefusal> {
    const { userId } = args;
    const taken = args.takes.filter((t) => t.lot.status === 'AVAILABLE').reduce((n, t) => n + t.take, 0);
    const takenPending = args.takes.filter((t) => t.lot.status === 'PENDING').reduce((n, t) => n + t.take, 0);
    const items: LabelledItem[] = [entryItem(userId, args.entry)];
    if (args.orderEntry) items.push(accountedItem('orderEntry', userId, args.orderEntry));
    for (const t of args.takes) items.push(takeFromLot(userId, t.lot, t.take));
    if (taken || takenPending || args.entry.shortfall) {
      items.push(balanceItem(userId, { available: -taken, pending: -takenPending, reversed: taken + takenPending, shortfall: args.entry.shortfall ?? 0 }));
    }
    if (args.growth) items.push(...growthItems(userId, args.growth.seen, args.growth.change));
    return run(items);
  },

  /** Points spent on an order come back with its refund, in proportion: the RETURN entry, the spend's accounted refunds, a month lot. */
  returnSpent(args: {
    userId: string;
    entry: LedgerEntry;
    spendEntry: { businessId: string; seenFen: number; newFen: number };
    month: string;
    expiresAt: number;
  }): Promise<'applied' | PointsRefusal> {
    const { userId, entry } = args;
    const items: LabelledItem[] = [entryItem(userId, entry), accountedItem('spendEntry', userId, args.spendEntry)];
    if (entry.delta > 0) {
      items.push(creditMonthLot(userId, args.month, entry.delta, args.expiresAt, entry.at));
      items.push(balanceItem(userId, { available: entry.delta, spent: -entry.delta }));
    }
    return run(items);
  },

  /** A check-in: the CHECKIN#<day> entry (once a day by itself), the streak moved from what it was, the points. */
  checkIn(args: {
    userId: string;
    day: string;
    streak: number;
    seenDay: string | null;
    entry: LedgerEntry;
    month: string;
    expiresAt: number;
    cap: { day: string; source: string; cap: number | null; seen: number };
  }): Promise<'applied' | PointsRefusal> {
    return this.credit({
      userId: args.userId,
      entry: args.entry,
      lot: { kind: 'month', month: args.month, expiresAt: args.expiresAt },
      cap: args.cap,
      extra: [
        {
          label: 'checkIn',
          Update: {
            TableName: table(),
            Key: keys.checkInState(args.userId),
            UpdateExpression: 'SET #type = :type, #day = :day, streak = :streak',
            ConditionExpression: args.seenDay === null ? 'attribute_not_exists(#day)' : '#day = :seen',
            ExpressionAttributeNames: { '#type': 'type', '#day': 'day' },
            ExpressionAttributeValues: { ':type': 'checkIn', ':day': args.day, ':streak': args.streak, ...(args.seenDay === null ? {} : { ':seen': args.seenDay }) },
          },
        },
      ],
    });
  },

  couponGrantItem,

  /** The mall's stock and per-shopper count, taken with the redemption (stock and limit from the config). */
  mallItems(userId: string, itemId: string, limits: { stock: number; perUserLimit: number }): LabelledItem[] {
    return [
      {
        label: 'mallStock',
        Update: {
          TableName: table(),
          Key: keys.mallStock(itemId),
          UpdateExpression: 'SET #type = :type ADD redeemed :one',
          ConditionExpression: 'attribute_not_exists(redeemed) OR redeemed < :stock',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': 'mallStock', ':one': 1, ':stock': limits.stock },
        },
      },
      {
        label: 'mallLimit',
        Update: {
          TableName: table(),
          Key: keys.mallBought(userId, itemId),
          UpdateExpression: 'SET #type = :type ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#type': 'type', '#count': 'count' },
          ExpressionAttributeValues: { ':type': 'mallBought', ':one': 1, ':limit': limits.perUserLimit },
        },
      },
    ];
  },

  /** A growth-only transaction (yearly review): the member moved from the revision it was read at. */
  growth(userId: string, seen: MemberItem | null, change: GrowthChange): Promise<'applied' | PointsRefusal> {
    return run(growthItems(userId, seen, change));
  },
};
