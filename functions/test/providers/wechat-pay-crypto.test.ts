import { createCipheriv, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  decryptResource,
  encryptResource,
  nonce,
  outTradeNoFor,
  parseAuthorizationHeader,
  parseRfc3339,
  paySign,
  publicKeyFromPrivate,
  requestSignatureMessage,
  responseSignatureMessage,
  rfc3339Beijing,
  signMessage,
  verifyMessage,
} from '../../src/providers/wechat-pay/v3-crypto';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

describe('signature strings (v3 签名生成 / 签名验证)', () => {
  it('builds the request string with a trailing newline and an empty line for a GET body', () => {
    expect(requestSignatureMessage('GET', '/v3/certificates', 1554208460, '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
    expect(requestSignatureMessage('post', '/v3/pay/transactions/jsapi', '1700000000', 'N', '{"a":1}')).toBe(
      'POST\n/v3/pay/transactions/jsapi\n1700000000\nN\n{"a":1}\n',
    );
  });

  it('builds the response string, a 204 ending in an empty line', () => {
    expect(responseSignatureMessage(1554209980, 'c5ac7061fccab6bf3e254dcf98995b8c', '{"x":1}')).toBe(
      '1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{"x":1}\n',
    );
    expect(responseSignatureMessage('1', 'n', '')).toBe('1\nn\n\n');
  });

  it('signs SHA256-with-RSA in Base64, verifiable by Node and deterministic (PKCS#1 v1.5)', () => {
    const message = 'GET\n/v3/x\n1\nn\n\n';
    const sig = signMessage(privateKey, message);
    expect(verify('sha256', Buffer.from(message), publicKey, Buffer.from(sig, 'base64'))).toBe(true);
    expect(signMessage(privateKey, message)).toBe(sig);
    expect(verifyMessage(publicKey, message, sig)).toBe(true);
    expect(verifyMessage(publicKey, `${message} `, sig)).toBe(false);
    expect(verifyMessage(publicKey, message, 'not-base64!!')).toBe(false);
    expect(verifyMessage('not a key', message, sig)).toBe(false);
  });

  it('signs paySign over appId, timeStamp, nonceStr and package, each on its own line', () => {
    const sig = paySign('wx8888888888888888', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', 'prepay_id=wx201410272009395522657a690389285100', privateKey);
    const expected =
      'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n';
    expect(verifyMessage(publicKey, expected, sig)).toBe(true);
  });
});

describe('Authorization header', () => {
  const parts = { mchid: '1900009191', serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', nonce: 'C380BEC2BFD727A4B6845133519F3AD6', timestamp: '1554208460', signature: 'uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XmUgx9kJeemnsxxkRyyDxBqd2QoNUCTz6ijrV3L1dTZKs1A==' };

  it('is written as WeChat shows it', () => {
    expect(authorizationHeader(parts)).toBe(
      `WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="C380BEC2BFD727A4B6845133519F3AD6",signature="${parts.signature}",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"`,
    );
  });

  it('parses back, in any field order, and refuses incomplete or foreign headers', () => {
    expect(parseAuthorizationHeader(authorizationHeader(parts))).toEqual(parts);
    expect(
      parseAuthorizationHeader(
        `WECHATPAY2-SHA256-RSA2048 serial_no="S", timestamp="1",nonce_str="N",signature="x/y+z==",mchid="M"`,
      ),
    ).toEqual({ mchid: 'M', serial: 'S', nonce: 'N', timestamp: '1', signature: 'x/y+z==' });
    expect(parseAuthorizationHeader(undefined)).toBeNull();
    expect(parseAuthorizationHeader('Bearer abc')).toBeNull();
    expect(parseAuthorizationHeader('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n"')).toBeNull();
    expect(parseAuthorizationHeader('WECHATPAY2-SHA256-RSA2048 mchid="1" junk')).toBeNull();
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  const key = '0123456789abcdefghijklmnopqrstuv';
  const iv = 'a1b2c3d4e5f6';
  const plaintext = '{"out_trade_no":"01JABCDEFGHJKMNPQRSTVWXYZ0","金额":100}';

  function nodeEncrypt(ad: string): string {
    const c = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(iv));
    c.setAAD(Buffer.from(ad));
    return Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]).toString('base64');
  }

  it('decrypts ciphertext whose last 16 bytes are the tag', () => {
    const ciphertext = nodeEncrypt('transaction');
    expect(decryptResource({ ciphertext, nonce: iv, associated_data: 'transaction' }, key)).toBe(plaintext);
  });

  it('encrypts to exactly the same bytes as Node for the same key and nonce', () => {
    expect(encryptResource(plaintext, key, 'transaction', iv)).toEqual({
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: nodeEncrypt('transaction'),
      nonce: iv,
      associated_data: 'transaction',
    });
  });

  it('treats a missing associated_data as empty', () => {
    expect(decryptResource({ ciphertext: nodeEncrypt(''), nonce: iv }, key)).toBe(plaintext);
  });

  it('refuses a wrong key, nonce, associated data or a flipped byte', () => {
    const ciphertext = nodeEncrypt('transaction');
    const flipped = Buffer.from(ciphertext, 'base64');
    flipped[3] ^= 1;
    expect(() => decryptResource({ ciphertext, nonce: iv, associated_data: 'transaction' }, 'x'.repeat(32))).toThrow();
    expect(() => decryptResource({ ciphertext, nonce: 'zzzzzzzzzzzz', associated_data: 'transaction' }, key)).toThrow();
    expect(() => decryptResource({ ciphertext, nonce: iv, associated_data: 'certificate' }, key)).toThrow();
    expect(() =>
      decryptResource({ ciphertext: flipped.toString('base64'), nonce: iv, associated_data: 'transaction' }, key),
    ).toThrow();
    expect(() => decryptResource({ ciphertext: 'AAAA', nonce: iv }, key)).toThrow();
    expect(() => decryptResource({ ciphertext, nonce: iv }, 'short')).toThrow();
  });
});

describe('identifiers and times', () => {
  it('makes 32-character alphanumeric nonces', () => {
    const seen = new Set(Array.from({ length: 50 }, () => nonce()));
    expect(seen.size).toBe(50);
    for (const n of seen) expect(n).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(nonce(12)).toHaveLength(12);
  });

  it('uses a ULID order id as out_trade_no and refuses anything WeChat would not accept', () => {
    expect(outTradeNoFor('01JD5Z8Q3K7M2N4P6R8T0V2X4Y')).toBe('01JD5Z8Q3K7M2N4P6R8T0V2X4Y');
    expect(() => outTradeNoFor('short')).toThrow();
    expect(() => outTradeNoFor('has space 123')).toThrow();
    expect(() => outTradeNoFor('x'.repeat(33))).toThrow();
  });

  it('writes RFC 3339 in Beijing time and reads any offset back', () => {
    expect(rfc3339Beijing(0)).toBe('1970-01-01T08:00:00+08:00');
    expect(rfc3339Beijing(Date.UTC(2025, 4, 20, 5, 29, 35, 999))).toBe('2025-05-20T13:29:35+08:00');
    expect(parseRfc3339('2025-05-20T13:29:35+08:00')).toBe(Date.UTC(2025, 4, 20, 5, 29, 35));
    expect(parseRfc3339('2025-05-20T05:29:35Z')).toBe(Date.UTC(2025, 4, 20, 5, 29, 35));
    expect(parseRfc3339('2025-05-20 13:29:35')).toBeNull();
  });

  it('derives a public key usable for verification from a private key', () => {
    const derived = publicKeyFromPrivate(privateKey);
    expect(createPublicKey(derived).equals(createPublicKey(publicKey))).toBe(true);
  });
});
