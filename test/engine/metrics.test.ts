import { Readable } from 'node:stream';
import { averagePrecision, computeMetrics, ndcg } from '../../src/engine/local/metrics';
import { evaluateRecipe, splitInteractions } from '../../src/engine/local/evaluation';
import { readInteractions } from '../../src/engine/local/dataset-reader';
import { interactionsCsv } from './fixtures';

describe('offline metrics', () => {
  // Recommended [1,2,3,4,5], truth {2,5,9}: hits at ranks 2 and 5.
  const c = { recommended: [1, 2, 3, 4, 5], truth: new Set([2, 5, 9]) };

  it('computes NDCG by hand', () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcg(c, 5)).toBeCloseTo(dcg / idcg, 10);
    expect(ndcg(c, 1)).toBe(0);
  });

  it('computes average precision by hand', () => {
    expect(averagePrecision(c, 5)).toBeCloseTo((1 / 2 + 2 / 5) / 3, 10);
    expect(averagePrecision({ recommended: [7, 8], truth: new Set([8]) }, 2)).toBeCloseTo(0.5, 10);
  });

  it("reports AWS's metric names plus recall and MAP at k", () => {
    const m = computeMetrics([c, { recommended: [9, 1], truth: new Set([9]) }], 5, 10);
    expect(Object.keys(m).sort()).toEqual(
      [
        'coverage',
        'map_at_5',
        'mean_reciprocal_rank_at_25',
        'normalized_discounted_cumulative_gain_at_10',
        'normalized_discounted_cumulative_gain_at_25',
        'normalized_discounted_cumulative_gain_at_5',
        'precision_at_10',
        'precision_at_25',
        'precision_at_5',
        'recall_at_5',
        'users_evaluated',
      ].sort(),
    );
    expect(m.mean_reciprocal_rank_at_25).toBeCloseTo((1 / 2 + 1) / 2, 10);
    expect(m.precision_at_5).toBeCloseTo((2 / 5 + 1 / 5) / 2, 10);
    expect(m.precision_at_10).toBeCloseTo((2 / 10 + 1 / 10) / 2, 10);
    expect(m.recall_at_5).toBeCloseTo((2 / 3 + 1) / 2, 10);
    expect(m.coverage).toBeCloseTo(6 / 10, 10); // products 1..5 and 9
    expect(m.users_evaluated).toBe(2);
  });
});

describe('evaluation splits and evaluateRecipe', () => {
  it("holds out the newest 10% of events of about 10% of customers (AWS's split)", async () => {
    const raw = await readInteractions(Readable.from([interactionsCsv()]));
    const s = splitInteractions(raw, 'users', 42);
    expect(s.heldOut.size).toBeGreaterThan(0);
    expect(s.heldOut.size).toBeLessThan(20);
    for (const [u, rows] of s.heldOut) {
      expect(rows.length).toBe(2); // 18 events each: the newest 10% rounded down keeps 16 as input
      const newest = Math.max(...Array.from(raw.timestamp.subarray(0, raw.length)).filter((_, k) => raw.user[k] === u));
      expect(rows.some((k) => raw.timestamp[k] === newest)).toBe(true);
    }
    expect(splitInteractions(raw, 'users', 42).heldOut).toEqual(s.heldOut);
  });

  it('holds out events from the cutoff on for the time split', async () => {
    const raw = await readInteractions(Readable.from([interactionsCsv()]));
    const s = splitInteractions(raw, 'time', 1, 1_700_005_000);
    for (const rows of s.heldOut.values())
      for (const k of rows) expect(raw.timestamp[k]).toBeGreaterThanOrEqual(1_700_005_000);
  });

  it('scores the model above popularity on clustered data, deterministically', async () => {
    const run = (recipe: 'user-personalization' | 'popularity-count') =>
      evaluateRecipe({ interactions: Readable.from([interactionsCsv()]), recipe, split: 'random', k: 5 });
    const up = await run('user-personalization');
    const pop = await run('popularity-count');
    expect(up.normalized_discounted_cumulative_gain_at_5!).toBeGreaterThan(
      pop.normalized_discounted_cumulative_gain_at_5!,
    );
    expect(await run('user-personalization')).toEqual(up);
  });
});
