/**
 * Share links for groups. A link carries one short random token; the group service stores what it stands for
 * (campaign, group, inviter). Ids are not packed into the link because the mini-program code's `scene` holds at most
 * 32 visible characters, and because a token reveals nothing and can be checked by pattern before any lookup.
 */
import { formatFen, type Fen } from '../money';

const SHARE_TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 62^12 ≈ 3 × 10^21 tokens: guessing one is hopeless, and `t=` + 12 characters fits the scene with room to spare. */
const SHARE_TOKEN_LENGTH = 12;
/** Accepts 8–16 so the length can change later without breaking links already shared into chats. */
const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9]{8,16}$/;

/** The landing page, as a share card path wants it (leading '/'). */
const GROUP_LANDING_PATH = '/packageGroup/pages/landing/index';
/** The same page as getwxacodeunlimit's `page` wants it: no leading '/', no query (the query goes in `scene`). */
export const GROUP_LANDING_CODE_PAGE = GROUP_LANDING_PATH.slice(1);

export function isShareToken(value: unknown): value is string {
  return typeof value === 'string' && SHARE_TOKEN_PATTERN.test(value);
}

/**
 * A new token from a source of random bytes (crypto.getRandomValues on the server; anything deterministic in tests).
 * Bytes of 248 and above are skipped, so each of the 62 characters is exactly as likely as any other.
 */
export function newShareToken(randomBytes: (count: number) => Uint8Array, length = SHARE_TOKEN_LENGTH): string {
  if (!Number.isSafeInteger(length) || length < 8 || length > 16) throw new RangeError(`share token length must be 8–16, got ${length}`);
  const limit = 256 - (256 % SHARE_TOKEN_ALPHABET.length);
  let token = '';
  for (let draws = 0; token.length < length; draws++) {
    if (draws > 64) throw new Error('random source keeps returning unusable bytes');
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue;
      token += SHARE_TOKEN_ALPHABET[byte % SHARE_TOKEN_ALPHABET.length];
      if (token.length === length) break;
    }
  }
  return token;
}

function requireToken(token: string): string {
  if (!isShareToken(token)) throw new RangeError(`not a share token: ${token}`);
  return token;
}

/** The share card's path (`onShareAppMessage` / `useShareAppMessage`): starts with '/', carries the token. */
export function sharePath(token: string): string {
  return `${GROUP_LANDING_PATH}?t=${requireToken(token)}`;
}

/** The `scene` for the poster's mini-program code: `t=<token>`, at most 18 of the 32 characters allowed. */
export function shareScene(token: string): string {
  return `t=${requireToken(token)}`;
}

/**
 * The token from the landing page's onLoad query: `t` when opened from a share card or link, `scene` (URL-encoded by
 * WeChat) when opened by scanning the poster's code. Null when neither holds a well-formed token.
 */
export function tokenFromLandingQuery(query: { t?: string; scene?: string } | undefined): string | null {
  if (!query) return null;
  if (isShareToken(query.t)) return query.t;
  if (typeof query.scene !== 'string') return null;
  let scene: string;
  try {
    scene = decodeURIComponent(query.scene);
  } catch {
    return null;
  }
  const m = /^t=([A-Za-z0-9]+)$/.exec(scene);
  return m && isShareToken(m[1]) ? m[1] : null;
}

/** The share card's title: what is missing and what it costs, which is what gets a friend to tap. */
export function shareTitle(productName: string, seatsLeft: number, groupPriceFen: Fen): string {
  const price = formatFen(groupPriceFen);
  return seatsLeft > 0 ? `还差${seatsLeft}人成团｜${price} 拼${productName}` : `${price} 拼${productName}`;
}
