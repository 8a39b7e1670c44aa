const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(out);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

/**
 * A fresh order-submit key: `length` characters of [A-Za-z0-9] (the server accepts 16–64 of [A-Za-z0-9_-]).
 * Made once per visit of the checkout page and sent with every retry of that submit, so a retried submit
 * returns the order the first one created instead of a second order.
 */
export function newIdempotencyKey(length = 32, bytes: (n: number) => Uint8Array = randomBytes): string {
  let out = '';
  // Rejection sampling keeps every character equally likely (62 does not divide 256).
  while (out.length < length) {
    for (const b of bytes(length)) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}
