import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API } from '../src/api';
import { CreateGroupOrderRequest, CreateOrderRequest, SandboxPayRequest, AddressInput } from '../src/contracts/index';

/**
 * Every string a schema accepts, with the path that leads to it, and every schema kind the walker does not know (so a
 * new kind of schema cannot hide an unbounded string: the test names it and someone teaches the walker).
 */
function walk(schema: z.ZodTypeAny, path: string, out: { unbounded: string[]; unknown: string[] }, seen = new Set<z.ZodTypeAny>()): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = schema._def as { typeName: z.ZodFirstPartyTypeKind } & Record<string, any>;
  const K = z.ZodFirstPartyTypeKind;
  switch (def.typeName) {
    case K.ZodString:
      if (!(def.checks as { kind: string }[]).some((c) => c.kind === 'max' || c.kind === 'length')) out.unbounded.push(path);
      return;
    case K.ZodObject:
      for (const [key, value] of Object.entries((schema as z.AnyZodObject).shape)) walk(value as z.ZodTypeAny, `${path}.${key}`, out, seen);
      if (!(def.catchall._def.typeName === K.ZodNever)) walk(def.catchall, `${path}.*`, out, seen);
      return;
    case K.ZodArray:
      return walk(def.type, `${path}[]`, out, seen);
    case K.ZodRecord:
      walk(def.keyType, `${path}{key}`, out, seen);
      return walk(def.valueType, `${path}{value}`, out, seen);
    case K.ZodOptional:
    case K.ZodNullable:
    case K.ZodReadonly:
      return walk(def.innerType, path, out, seen);
    case K.ZodDefault:
    case K.ZodCatch:
      return walk(def.innerType, path, out, seen);
    case K.ZodEffects:
      return walk(def.schema, path, out, seen);
    case K.ZodPipeline:
      walk(def.in, path, out, seen);
      return walk(def.out, path, out, seen);
    case K.ZodBranded:
      return walk(def.type, path, out, seen);
    case K.ZodLazy:
      return walk(def.getter(), path, out, seen);
    case K.ZodUnion:
    case K.ZodDiscriminatedUnion:
      (def.options as z.ZodTypeAny[]).forEach((o, i) => walk(o, `${path}|${i}`, out, seen));
      return;
    case K.ZodIntersection:
      walk(def.left, path, out, seen);
      return walk(def.right, path, out, seen);
    case K.ZodTuple:
      (def.items as z.ZodTypeAny[]).forEach((o, i) => walk(o, `${path}[${i}]`, out, seen));
      if (def.rest) walk(def.rest, `${path}[…]`, out, seen);
      return;
    case K.ZodNumber:
    case K.ZodBoolean:
    case K.ZodLiteral:
    case K.ZodEnum:
    case K.ZodNativeEnum:
    case K.ZodNever:
      return;
    default:
      out.unknown.push(`${path} (${def.typeName})`);
  }
}

function check(part: 'query' | 'body' | 'response') {
  const out = { unbounded: [] as string[], unknown: [] as string[] };
  let walked = 0;
  for (const [name, route] of Object.entries(API) as [string, Record<string, unknown>][]) {
    const schema = route[part] as z.ZodTypeAny | undefined;
    if (!schema) continue;
    // The notify routes answer WeChat Pay with whatever it expects; their bodies are read only after verification.
    if (part === 'response' && schema._def.typeName === z.ZodFirstPartyTypeKind.ZodUnknown) continue;
    walked++;
    walk(schema, `${name}.${part}`, out);
  }
  return { ...out, walked };
}

describe('every string in the API contracts has a maximum length', () => {
  it('request bodies: no unbounded string and no schema kind the walker cannot see into', () => {
    const r = check('body');
    expect(r.walked).toBeGreaterThanOrEqual(10);
    expect(r.unknown).toEqual([]);
    expect(r.unbounded).toEqual([]);
  });

  it('query strings', () => {
    const r = check('query');
    expect(r.walked).toBeGreaterThanOrEqual(5);
    expect(r.unknown).toEqual([]);
    expect(r.unbounded).toEqual([]);
  });

  it('responses', () => {
    const r = check('response');
    expect(r.walked).toBeGreaterThanOrEqual(30);
    expect(r.unknown).toEqual([]);
    expect(r.unbounded).toEqual([]);
  });

  it('the walker does find an unbounded string hidden in an optional, a union, an array and a record', () => {
    const out = { unbounded: [] as string[], unknown: [] as string[] };
    walk(
      z.object({
        ok: z.string().max(3),
        a: z.string().optional(),
        b: z.discriminatedUnion('t', [z.object({ t: z.literal('x'), c: z.string().trim().default('') })]),
        d: z.array(z.string().refine(Boolean)),
        e: z.record(z.string().max(2), z.string()),
      }),
      'probe',
      out,
    );
    expect(out.unbounded).toEqual(['probe.a', 'probe.b|0.c', 'probe.d[]', 'probe.e{value}']);
  });
});

describe('oversized strings are refused with a Chinese message', () => {
  const CJK = /[\u4e00-\u9fff]/;
  const huge = 'x'.repeat(1 << 20);

  it('a 1 MiB prepayId', () => {
    const r = SandboxPayRequest.safeParse({ prepayId: huge, action: 'pay' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(CJK);
    expect(SandboxPayRequest.safeParse({ prepayId: 'wx'.padEnd(64, '1'), action: 'pay' }).success).toBe(true);
  });

  it('ids, keys, remarks and addresses', () => {
    const order = { idempotencyKey: 'k'.repeat(16), source: { type: 'cart' }, addressId: '01JC0000000000000000000000' };
    for (const bad of [
      { ...order, idempotencyKey: 'k'.repeat(65) },
      { ...order, addressId: '0'.repeat(1000) },
      { ...order, remark: '备'.repeat(101) },
      { ...order, source: { type: 'buyNow', productId: 'p'.repeat(65), skuId: 'sku-a', quantity: 1 } },
    ]) {
      const r = CreateOrderRequest.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].message).toMatch(CJK);
    }
    expect(CreateOrderRequest.safeParse(order).success).toBe(true);
    const group = CreateGroupOrderRequest.safeParse({ ...order, campaignId: 'c-1', skuId: 'sku-a', inviter: 'i'.repeat(65) });
    expect(group.success).toBe(false);
    expect(group.error!.issues[0].message).toMatch(CJK);
    const address = AddressInput.safeParse({ name: '张三', phone: '1'.repeat(5000), province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 100 号' });
    expect(address.success).toBe(false);
    expect(address.error!.issues[0].message).toBe('请填写正确的手机号');
  });
});
