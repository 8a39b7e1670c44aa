import { describe, expect, it } from 'vitest';
import { abReport, wilson } from './recs-ab';

describe('the recommendation A/B report', () => {
  it('gives Wilson intervals that match known values and stay inside 0…1', () => {
    // 10 of 100: the textbook Wilson 95 % interval is [0.0552, 0.1744].
    const r = wilson(10, 100);
    expect(r.rate).toBe(0.1);
    expect(r.low).toBeCloseTo(0.0552, 3);
    expect(r.high).toBeCloseTo(0.1744, 3);
    expect(wilson(0, 20).low).toBe(0);
    expect(wilson(20, 20).high).toBe(1);
    expect(wilson(0, 0)).toEqual({ rate: 0, low: 0, high: 0 });
  });

  it('counts exposures, clicks and purchases per variant, only of recommended cards and of the placement asked', () => {
    const events = [
      ...Array.from({ length: 200 }, () => ({ kind: 'exposure', variant: 'A', placement: 'home_feed' })),
      ...Array.from({ length: 20 }, () => ({ kind: 'click', variant: 'A', placement: 'home_feed' })),
      ...Array.from({ length: 4 }, () => ({ kind: 'purchase', variant: 'A', placement: 'home_feed' })),
      ...Array.from({ length: 200 }, () => ({ kind: 'exposure', variant: 'B', placement: 'home_feed' })),
      ...Array.from({ length: 40 }, () => ({ kind: 'click', variant: 'B', placement: 'home_feed' })),
      { kind: 'exposure', variant: 'B', placement: 'cart' },
      { kind: 'click', placement: 'home_feed' },
      { kind: 'view', variant: 'A', placement: 'home_feed' },
    ];
    const rows = abReport(events, 'home_feed');
    expect(rows.map((r) => [r.variant, r.exposures, r.clicks, r.purchases])).toEqual([
      ['A', 200, 20, 4],
      ['B', 200, 40, 0],
    ]);
    expect(rows[0]!.ctr.rate).toBe(0.1);
    expect(rows[0]!.conversion.rate).toBe(0.02);
    expect(rows[0]!.ctrLift).toBeNull();
    // B's CTR is 0.2: ten points above A, and the interval excludes 0 at these counts.
    expect(rows[1]!.ctrLift!.rate).toBeCloseTo(0.1, 5);
    expect(rows[1]!.ctrLift!.low).toBeGreaterThan(0);
    expect(abReport(events).find((r) => r.variant === 'B')!.exposures).toBe(201);
  });
});
