import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DomainError } from '@shop/shared';
import { config } from './config';
import { secrets } from './secrets';

const ISSUER = 'wechat-shop';

async function key(): Promise<{ bytes: Uint8Array; kid: string }> {
  const { jwtSecret } = await secrets();
  // The key id names which secret signed a token, so a rotated secret can be told apart from a forged token.
  const kid = createHash('sha256').update(jwtSecret).digest('hex').slice(0, 12);
  return { bytes: new TextEncoder().encode(jwtSecret), kid };
}

/** Our own session token (the WeChat session_key never leaves the server). */
export async function issueSession(userId: string, nowMs: number): Promise<{ token: string; expiresAt: number }> {
  const { bytes, kid } = await key();
  const cfg = config();
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + cfg.sessionTtlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(cfg.stage)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(bytes);
  return { token, expiresAt: exp * 1000 };
}

/** The user id of a valid token; SESSION_EXPIRED / UNAUTHORIZED otherwise. */
export async function verifySession(token: string, nowMs: number): Promise<string> {
  const { bytes, kid } = await key();
  try {
    const { payload, protectedHeader } = await jwtVerify(token, bytes, {
      issuer: ISSUER,
      audience: config().stage,
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
    });
    if (protectedHeader.kid !== kid || !payload.sub) throw new DomainError('UNAUTHORIZED');
    return payload.sub;
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new DomainError('SESSION_EXPIRED');
    throw new DomainError('UNAUTHORIZED');
  }
}
