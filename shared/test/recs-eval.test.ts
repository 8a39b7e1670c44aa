import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainModel } from '../src/recs/index';
import { loadBeauty, scoreSplit, trainingInput } from '../../scripts/lib/recs-eval';

/** A small file in the Beauty format: user, then item ids oldest first. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recs-eval-'));
const file = path.join(dir, 'Beauty.txt');
fs.writeFileSync(file, ['1 1 2 3 4 5', '2 2 3 4 6', '3 1 3 4 5 6', '4 2 4 5 6 1'].join('\n') + '\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('offline evaluation leak check', () => {
  const data = loadBeauty(file);

  it('scores a model trained on the split’s own training data', () => {
    const model = trainModel(trainingInput(data, 'test'));
    const m = scoreSplit(model, data, 'test');
    expect(m.users).toBe(4);
    expect(m['HR@20']).toBeGreaterThan(0);
  });

  it('refuses a model that saw the test targets', () => {
    const all = { items: data.items, sequences: data.users.map(([userId, seq]) => ({ userId, events: seq.map((itemId, at) => ({ itemId, at })) })) };
    expect(() => scoreSplit(trainModel(all), data, 'test')).toThrow(/refused for the test split/);
    // One held-out item is enough.
    const oneMore = trainingInput(data, 'test');
    oneMore.sequences[2].events.push({ itemId: '6', at: 4 });
    expect(() => scoreSplit(trainModel(oneMore), data, 'test')).toThrow(/saw a held-out item/);
  });

  it('refuses a test-split model for validation (it saw the validation targets)', () => {
    expect(() => scoreSplit(trainModel(trainingInput(data, 'test')), data, 'validation')).toThrow(/validation split/);
    expect(() => scoreSplit(trainModel(trainingInput(data, 'validation')), data, 'validation')).not.toThrow();
  });
});
