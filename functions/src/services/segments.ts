/**
 * Segment tags of a shopper (campaign targeting's `user.segments`), computed at the moment asked from the shopper's
 * profile (shared/src/profiles rules, profiles/<stage>.yaml definitions). Kept apart from services/profiles.ts so
 * pricing can use it without importing the catalog.
 */
import { segmentsOf, type ShopperProfile } from '@shop/shared';
import { keyId } from '../repositories/batch';
import { keys, type Key } from '../repositories/keys';
import { profileRepo, type ShopperState } from '../repositories/profile-repo';
import { profilesConfig } from '../providers/profiles-config';

export function withoutBehaviour(profile: ShopperProfile): ShopperProfile {
  return { ...profile, recent: [], interests: { at: profile.interests.at, cats: {}, attrs: {}, price: { w: 0, l: 0, l2: 0 } } };
}

/** The profile the shop may use: without behaviour (recent items, interests) once 行为数据 is off. */
export function usable(state: ShopperState): ShopperProfile {
  return state.privacy.behaviourData ? state.profile : withoutBehaviour(state.profile);
}

/** The keys segment tags are computed from, for a caller that reads them in its own BatchGetItem (pricing). */
export function segmentKeys(userId: string): Key[] {
  return [keys.user(userId), keys.shopperProfile(userId)];
}

/** The shopper's segment tags at `now`, from the items segmentKeys named (absent items: no profile yet). */
export function segmentsFromItems(userId: string, items: Map<string, Record<string, unknown>>, now: number): string[] {
  const state = profileRepo.fromItems(items.get(keyId(keys.user(userId))), items.get(keyId(keys.shopperProfile(userId))));
  return segmentsOf(usable(state), now, profilesConfig(), state.createdAt);
}

/** The shopper's segment tags at `now` (one BatchGetItem). */
export async function shopperSegments(userId: string, now: number): Promise<string[]> {
  const state = await profileRepo.read(userId);
  return segmentsOf(usable(state), now, profilesConfig(), state.createdAt);
}
