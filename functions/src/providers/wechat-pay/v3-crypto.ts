/**
 * WeChat Pay API v3 cryptography, pure and synchronous (Node's crypto only), shared by the real client, the
 * notification parser and the local sandbox server so both sides of the protocol run the same code.
 *
 * Rules from the v3 "签名生成 / 签名验证 / 证书和回调报文解密" documents:
 * - request signature: SHA256-with-RSA (PKCS#1 v1.5) over `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`, Base64;
 * - response and notification signature: same algorithm over `TIMESTAMP\nNONCE\nBODY\n` (an empty body, e.g. 204,
 *   still ends with its own `\n`), by the platform key named in `Wechatpay-Serial`;
 * - resources: AEAD_AES_256_GCM with the 32-byte APIv3 key, a 12-byte nonce and associated_data; the Base64
 *   ciphertext carries the 16-byte tag at its end.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  randomInt,
  sign as rsaSign,
  verify as rsaVerify,
} from 'node:crypto';

const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
export const AEAD_ALGORITHM = 'AEAD_AES_256_GCM';
const GCM_TAG_BYTES = 16;

export function signMessage(privateKeyPem: string, message: string): string {
  return rsaSign('sha256', Buffer.from(message, 'utf8'), privateKeyPem).toString('base64');
}

/** False (never a throw) for a malformed key or signature: every caller treats those as "not signed by them". */
export function verifyMessage(publicKeyPem: string, message: string, signatureB64: string): boolean {
  try {
    return rsaVerify('sha256', Buffer.from(message, 'utf8'), publicKeyPem, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

export function requestSignatureMessage(
  method: string,
  pathWithQuery: string,
  timestampSec: number | string,
  nonce: string,
  body: string,
): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestampSec}\n${nonce}\n${body}\n`;
}

export function responseSignatureMessage(timestampSec: number | string, nonce: string, body: string): string {
  return `${timestampSec}\n${nonce}\n${body}\n`;
}

export interface AuthorizationParts {
  mchid: string;
  serial: string;
  nonce: string;
  timestamp: string;
  signature: string;
}

export function authorizationHeader(p: {
  mchid: string;
  serial: string;
  nonce: string;
  timestamp: number | string;
  signature: string;
}): string {
  return (
    `${AUTH_SCHEMA} mchid="${p.mchid}",nonce_str="${p.nonce}",signature="${p.signature}",` +
    `timestamp="${p.timestamp}",serial_no="${p.serial}"`
  );
}

/** The parts of an Authorization header, or null when it is not a complete v3 header. Field order is free. */
export function parseAuthorizationHeader(header: string | null | undefined): AuthorizationParts | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${AUTH_SCHEMA} `)) return null;
  const fields = new Map<string, string>();
  const pattern = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy;
  const rest = trimmed.slice(AUTH_SCHEMA.length + 1);
  pattern.lastIndex = 0;
  let consumed = 0;
  for (let m = pattern.exec(rest); m; m = pattern.exec(rest)) {
    fields.set(m[1], m[2]);
    consumed = pattern.lastIndex;
  }
  if (consumed !== rest.length) return null;
  const mchid = fields.get('mchid');
  const nonce = fields.get('nonce_str');
  const signature = fields.get('signature');
  const timestamp = fields.get('timestamp');
  const serial = fields.get('serial_no');
  if (!mchid || !nonce || !signature || !timestamp || !serial) return null;
  return { mchid, nonce, signature, timestamp, serial };
}

export interface EncryptedResource {
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

function aesKey(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

/** Throws when the key, nonce, associated data or tag do not match (a forged or corrupted resource). */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= GCM_TAG_BYTES) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', aesKey(apiV3Key), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
}

export function encryptResource(
  plaintext: string,
  apiV3Key: string,
  associatedData: string,
  nonceStr: string = nonce(12),
): { algorithm: typeof AEAD_ALGORITHM; ciphertext: string; nonce: string; associated_data: string } {
  const cipher = createCipheriv('aes-256-gcm', aesKey(apiV3Key), Buffer.from(nonceStr, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: AEAD_ALGORITHM, ciphertext: body.toString('base64'), nonce: nonceStr, associated_data: associatedData };
}

/** `wx.requestPayment`'s paySign (signType RSA): merchant key over `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function paySign(
  appId: string,
  timeStampSec: number | string,
  nonceStr: string,
  pkg: string,
  privateKeyPem: string,
): string {
  return signMessage(privateKeyPem, `${appId}\n${timeStampSec}\n${nonceStr}\n${pkg}\n`);
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random [A-Za-z0-9] string; 32 by default, the longest nonce_str / nonceStr WeChat accepts. */
export function nonce(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return out;
}

/** out_trade_no: 6–32 characters of [0-9A-Za-z_-|*], unique per merchant (JSAPI 下单, out_trade_no). */
export const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;

/** out_refund_no: 1–64 characters of [0-9A-Za-z_-|*@], unique per merchant (申请退款, out_refund_no). */
export const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

/** Order ids are ULIDs (26 × [0-9A-Z]) and so already valid, stable out_trade_no values: one order, one number. */
export function outTradeNoFor(orderId: string): string {
  if (!OUT_TRADE_NO.test(orderId)) throw new Error(`order id ${JSON.stringify(orderId)} is not a valid out_trade_no`);
  return orderId;
}

export function publicKeyFromPrivate(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** RFC 3339 in Beijing time, second precision, as WeChat Pay writes and expects times: 2025-05-20T13:29:35+08:00. */
export function rfc3339Beijing(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000 + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch ms of an RFC 3339 time with an explicit offset, or null. Strict: a day the month does not have (02-30), hour
 * 24, minute or second 60, or an offset beyond ±23:59 is not a time (Date.parse would quietly roll some of them over).
 */
export function parseRfc3339(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const [frac, sign, offH, offM] = [m[7], m[8], m[9], m[10]];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (sign && (Number(offH) > 23 || Number(offM) > 59)) return null;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  at.setUTCHours(hour, minute, second, frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(offH) * 60 + Number(offM)) : 0;
  return at.getTime() - offsetMinutes * 60_000;
}
