import { describe, expect, it } from 'vitest';
import {
  diversify,
  hitRateAt,
  interactionDigest,
  ndcgAt,
  reasonText,
  recommendFor,
  trainModel,
  type ItemMeta,
  type ShopperSequence,
} from '../src/recs/index';

/** Shoppers who look at a lipstick, then its matching lip liner; others who buy a cleanser, then a toner. */
function shop() {
  const items: Record<string, ItemMeta> = {
    lipstick: { attributes: ['brand:rosy', 'lips'], category: 'makeup' },
    liner: { attributes: ['brand:rosy', 'lips'], category: 'makeup' },
    gloss: { attributes: ['brand:rosy', 'lips'], category: 'makeup' },
    mascara: { attributes: ['brand:lash', 'eyes'], category: 'makeup' },
    cleanser: { attributes: ['brand:pure', 'face'], category: 'skincare' },
    toner: { attributes: ['brand:pure', 'face'], category: 'skincare' },
    serum: { attributes: ['brand:glow', 'face'], category: 'skincare', createdAt: 2_000 },
    mask: { attributes: ['brand:glow', 'face'], category: 'skincare', createdAt: 1_000 },
  };
  const sequences: ShopperSequence[] = [];
  for (let u = 0; u < 6; u++) {
    sequences.push({
      userId: `lips${u}`,
      events: [
        { itemId: 'lipstick', at: 10, kind: 'view' },
        { itemId: 'liner', at: 20, kind: 'purchase' },
      ],
    });
    sequences.push({
      userId: `face${u}`,
      events: [
        { itemId: 'cleanser', at: 10, kind: 'purchase' },
        { itemId: 'toner', at: 20, kind: 'purchase' },
        { itemId: 'mascara', at: 30, kind: 'view' },
      ],
    });
  }
  sequences.push({ userId: 'one', events: [{ itemId: 'mascara', at: 5, kind: 'cart' }] });
  return { items, sequences };
}

describe('ranking metrics', () => {
  const ranked = ['a', 'b', 'c', 'd'];
  it('counts a hit only inside the cut-off', () => {
    expect(hitRateAt(ranked, 'a', 1)).toBe(1);
    expect(hitRateAt(ranked, 'c', 2)).toBe(0);
    expect(hitRateAt(ranked, 'c', 3)).toBe(1);
    expect(hitRateAt(ranked, 'z', 10)).toBe(0);
  });
  it('discounts by the 0-based rank: 1 / log2(rank + 2)', () => {
    expect(ndcgAt(ranked, 'a', 5)).toBe(1);
    expect(ndcgAt(ranked, 'b', 5)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgAt(ranked, 'd', 5)).toBeCloseTo(1 / Math.log2(5), 12);
    expect(ndcgAt(ranked, 'd', 3)).toBe(0);
    expect(ndcgAt(ranked, 'z', 5)).toBe(0);
  });
});

describe('trainModel', () => {
  it('learns what follows an item, what comes with it, and look-alikes nobody combined yet', () => {
    const model = trainModel(shop());
    const lipstick = model.neighbours.lipstick;
    expect(lipstick[0].slice(0, 1).concat(lipstick[0][2])).toEqual(['liner', 'transition']);
    // The liner looks back at the lipstick (bought together, the other way round).
    expect(model.neighbours.liner[0][0]).toBe('lipstick');
    expect(model.neighbours.liner[0][2]).toBe('co-occurrence');
    // Gloss was never interacted with, but shares brand and attributes with the lipstick.
    expect(lipstick.find(([id]) => id === 'gloss')?.[2]).toBe('content');
    // Purchases weigh more than views: the cleanser (6 purchases) outsells the mascara (6 views + 1 cart).
    expect(model.popular.map(([id]) => id).slice(0, 3)).toEqual(['cleanser', 'liner', 'toner']);
    expect(model.categoryPopular.skincare[0][0]).toBe('cleanser');
    expect(model.newest).toEqual(['serum', 'mask']);
    expect(model.trainedOn).toMatchObject({ users: 13, events: 31 });
  });

  it('is deterministic and plain JSON', () => {
    const a = trainModel(shop(), { k: 3 });
    const b = trainModel(shop(), { k: 3 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    for (const list of Object.values(a.neighbours)) expect(list.length).toBeLessThanOrEqual(3);
  });

  it('links items further apart than the window through session co-occurrence, less in longer histories', () => {
    const items: Record<string, ItemMeta> = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => [id, { attributes: [] }]));
    const sequences: ShopperSequence[] = [
      { userId: 'short', events: ['a', 'b', 'c'].map((itemId, at) => ({ itemId, at })) },
      { userId: 'long', events: ['d', 'b', 'c', 'e', 'f'].map((itemId, at) => ({ itemId, at })) },
    ];
    const score = (m: ReturnType<typeof trainModel>, a: string, b: string) => m.neighbours[a]?.find(([id]) => id === b)?.[1];
    const base = { window: 1, contentWeight: 0, anchorNorm: 0 };
    const off = trainModel({ sequences, items }, { ...base, sessionWeight: 0 });
    expect(score(off, 'a', 'c')).toBeUndefined();
    const on = trainModel({ sequences, items }, { ...base, sessionWeight: 0.5, sessionNorm: 1 });
    // a … c two steps apart in a history of 3: 0.5 / 3 forward; c … a backward, times coOccurrenceWeight.
    expect(score(on, 'a', 'c')).toBeCloseTo(0.5 / 3, 5);
    expect(score(on, 'c', 'a')).toBeCloseTo((0.5 / 3) * on.params.coOccurrenceWeight, 5);
    // d … f in a history of 5 count less than a … c in a history of 3.
    expect(score(on, 'd', 'f')!).toBeLessThan(score(on, 'a', 'c')!);
    // Adjacent pairs keep their step weight on top.
    expect(score(on, 'b', 'c')!).toBeGreaterThan(score(off, 'b', 'c')!);
  });

  it('fingerprints the interactions regardless of order, and changes with one more', () => {
    const pairs: [string, string][] = [
      ['u1', 'a'],
      ['u1', 'b'],
      ['u2', 'a'],
    ];
    expect(interactionDigest(pairs)).toBe(interactionDigest([...pairs].reverse()));
    expect(interactionDigest([...pairs, ['u2', 'b']])).not.toBe(interactionDigest(pairs));
    expect(interactionDigest([['u1', 'ab']])).not.toBe(interactionDigest([['u1a', 'b']]));
  });
});

describe('recommendFor', () => {
  const { items, sequences } = shop();
  const model = trainModel({ items, sequences });

  it('recommends what follows the shopper’s recent item, with the reason and the anchor', () => {
    const recs = recommendFor(model, [{ itemId: 'lipstick', at: 100, kind: 'view' }], { k: 4, exclude: ['lipstick'] });
    expect(recs[0]).toMatchObject({ itemId: 'liner', reason: { kind: 'because-viewed', anchorItemId: 'lipstick' } });
    expect(recs.map((r) => r.itemId)).not.toContain('lipstick');
    expect(recs).toHaveLength(4);
    // Scores never increase down the list.
    for (let i = 1; i < recs.length; i++) expect(recs[i].score).toBeLessThanOrEqual(recs[i - 1].score);
  });

  it('weighs the most recent item most', () => {
    const recent = [
      { itemId: 'cleanser', at: 1 },
      { itemId: 'lipstick', at: 2 },
    ];
    expect(recommendFor(model, recent, { k: 1, exclude: ['cleanser', 'lipstick'] })[0].itemId).toBe('liner');
    const reversed = [
      { itemId: 'lipstick', at: 1 },
      { itemId: 'cleanser', at: 2 },
    ];
    expect(recommendFor(model, reversed, { k: 1, exclude: ['cleanser', 'lipstick'] })[0].itemId).toBe('toner');
  });

  it('gives a new shopper popular, new and category best-sellers, each with its reason', () => {
    const recs = recommendFor(model, [], { k: 6, itemMeta: items });
    expect(recs).toHaveLength(6);
    const kinds = new Set(recs.map((r) => r.reason.kind));
    expect(kinds).toEqual(new Set(['new', 'category-hot', 'popular']));
    expect(recs.find((r) => r.reason.kind === 'new')?.itemId).toBe('serum');
    expect(new Set(recs.map((r) => r.itemId)).size).toBe(6);
  });

  it('fills from the category of a recent item the model has not learned yet', () => {
    const meta = { ...items, blush: { attributes: ['brand:new'], category: 'makeup' } };
    const recs = recommendFor(model, [{ itemId: 'blush', at: 1 }], { k: 2, exclude: ['blush'], itemMeta: meta });
    expect(recs.map((r) => r.itemId)).toEqual(['liner', 'mascara']);
    expect(recs[0].reason).toEqual({ kind: 'category-hot', anchorItemId: 'blush' });
  });

  it('never shows a 不感兴趣 item again and pushes its look-alikes down', () => {
    const recent = [{ itemId: 'mascara', at: 1 }];
    const scores = (disliked: string[]) =>
      new Map(
        recommendFor(model, recent, { k: 8, exclude: ['mascara'], dislikedItems: disliked, dislikePenalty: 0.1, itemMeta: items }).map(
          (r) => [r.itemId, r.score],
        ),
      );
    const before = scores([]);
    const after = scores(['toner']);
    expect(before.has('toner')).toBe(true);
    expect(after.has('toner')).toBe(false);
    // The cleanser (the toner's neighbour, same brand) keeps a tenth of its score; the makeup items are untouched.
    expect(after.get('cleanser')).toBeCloseTo(before.get('cleanser')! * 0.1, 9);
    expect(after.get('liner')).toBe(before.get('liner'));
    const cold = recommendFor(model, [], { k: 8, dislikedItems: ['cleanser'], itemMeta: items }).map((r) => r.itemId);
    expect(cold).not.toContain('cleanser');
  });
});

describe('reasonText', () => {
  const names: Record<string, string> = { lipstick: '丝绒口红' };
  const nameOf = (id: string) => names[id];
  it('speaks plain Chinese for every reason', () => {
    expect(reasonText({ kind: 'because-viewed', anchorItemId: 'lipstick' }, nameOf)).toBe('因为你浏览了丝绒口红');
    expect(reasonText({ kind: 'also-bought', anchorItemId: 'lipstick' }, nameOf)).toBe('买了丝绒口红的人也买了');
    expect(reasonText({ kind: 'category-hot', anchorItemId: 'lipstick' }, nameOf)).toBe('同类热销');
    expect(reasonText({ kind: 'new' }, nameOf)).toBe('新品推荐');
    expect(reasonText({ kind: 'popular' }, nameOf)).toBe('大家都在买');
    expect(reasonText({ kind: 'because-viewed', anchorItemId: 'gone' }, nameOf)).toBe('猜你喜欢');
  });
});

describe('diversify', () => {
  it('caps one category per window without dropping anything', () => {
    const cat: Record<string, string> = { a1: 'A', a2: 'A', a3: 'A', a4: 'A', b1: 'B', c1: 'C' };
    const ranked = ['a1', 'a2', 'a3', 'a4', 'b1', 'c1'].map((itemId) => ({ itemId }));
    const out = diversify(ranked, (id) => cat[id], { maxPerCategory: 2, window: 4 }).map((r) => r.itemId);
    expect(out).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'a4']);
    for (let i = 0; i + 4 <= out.length - 2; i++) {
      expect(out.slice(i, i + 4).filter((id) => cat[id] === 'A').length).toBeLessThanOrEqual(2);
    }
  });
});
