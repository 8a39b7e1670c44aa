/**
 * Helpers of the points tests: a members config folder, paid orders and refunds as the table holds them, and the
 * invariants every points test checks after each step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../src/lib/dynamo';
import { newId } from '../src/lib/ids';
import { keys } from '../src/repositories/keys';
import { pointsRepo } from '../src/repositories/points-repo';
import { resetMembersConfig } from '../src/providers/members-config';
import { onChangeForMembers } from '../src/services/points';

/** A members folder with `local.yaml` for the test's stage. */
export function membersFolder(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-members-'));
  fs.writeFileSync(path.join(dir, 'local.yaml'), yaml);
  process.env.MEMBERS_DIR = dir;
  resetMembersConfig();
  return dir;
}

export const DAY = 24 * 3600 * 1000;

/** A paid order as the table holds it after PAY (only what points read), and its stream record handled. */
export async function paidOrder(userId: string, paidFen: number, paidAt: number, inviter: string | null = null) {
  const id = newId(paidAt);
  const order = {
    id,
    userId,
    status: 'PAID',
    paidAt,
    paidFen,
    payableFen: paidFen,
    createdAt: paidAt - 60_000,
    transactionId: `tx${id}`,
    refundedFen: 0,
    ...(inviter ? { group: { campaignId: 'gd', role: 'member', groupId: null, token: null, status: 'OPEN', inviter } } : {}),
  };
  await db().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.order(id), GSI1PK: keys.userOrders(userId), GSI1SK: id, type: 'order', ...order },
    }),
  );
  return order;
}

function paidChange(order: Record<string, unknown>) {
  return { previous: { ...order, status: 'PENDING_PAYMENT' }, next: { ...order, type: 'order' } };
}

export async function earn(order: Record<string, unknown>, now: number) {
  return onChangeForMembers(paidChange(order), now);
}

/** A refund of the order that WeChat paid (REFUNDING → REFUNDED), as the stream delivers it. */
export async function refundPaid(order: { id: string; userId: string }, amountFen: number, no: string, now: number) {
  const refund = { type: 'refund', outRefundNo: no, orderId: order.id, userId: order.userId, amountFen, status: 'REFUNDED', full: false, lines: [], reason: 'AFTER_SALE' };
  return onChangeForMembers({ previous: { ...refund, status: 'REFUNDING' }, next: refund }, now);
}

/**
 * The ledger sums to the balance, the lots hold exactly the balance, and nothing is negative.
 */
export async function expectInvariants(userId: string) {
  const [balance, entries, lots] = await Promise.all([pointsRepo.balance(userId), pointsRepo.entries(userId, ''), pointsRepo.lots(userId)]);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  expect(balance.available).toBeGreaterThanOrEqual(0);
  expect(balance.pending).toBeGreaterThanOrEqual(0);
  expect(sum(entries.map((e) => e.delta))).toBe(balance.available);
  expect(sum(entries.map((e) => e.pendingDelta))).toBe(balance.pending);
  expect(sum(lots.filter((l) => l.status === 'AVAILABLE').map((l) => l.remaining))).toBe(balance.available);
  expect(sum(lots.filter((l) => l.status === 'PENDING').map((l) => l.remaining))).toBe(balance.pending);
  for (const l of lots) expect(l.remaining).toBeGreaterThanOrEqual(0);
  return { balance, entries, lots };
}
