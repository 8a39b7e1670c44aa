import { MallItemPath } from '@shop/shared';
import { logger, route } from '../lib/http';
import { reviewLevels, memberView, tiers } from '../services/members';
import { inviteView } from '../services/invites';
import * as points from '../services/points';

export const memberMe = route('memberMe', ({ userId, now }) => memberView(userId, now));
export const memberTiers = route('memberTiers', async () => tiers());
export const memberInvite = route('memberInvite', ({ userId }) => inviteView(userId));
export const pointsHistory = route('pointsHistory', ({ userId, query }) => points.history(userId, query));
export const checkIn = route('checkIn', ({ userId, now }) => points.checkIn(userId, now));
export const checkInCalendar = route('checkInCalendar', ({ userId, query, now }) => points.checkInCalendar(userId, query.month, now));
export const pointsMall = route('pointsMall', ({ userId }) => points.mall(userId ?? null));
export const redeemMallItem = route(
  'redeemMallItem',
  ({ userId, params, body, now }) => points.redeem(userId, params.itemId, body.idempotencyKey, now),
  { params: MallItemPath },
);

/**
 * Hourly: pending order points whose day has come become available, lots past their expiry expire (each exactly
 * once), and the yearly level review when the members config turns it on.
 */
export async function membersJob() {
  const now = Date.now();
  const moved = await points.runPointsJobs(now);
  const review = await reviewLevels(now);
  if (moved.released || moved.expired || review.reviewed) logger.info('members job', { ...moved, ...review });
  return { ...moved, ...review };
}
