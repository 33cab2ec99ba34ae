import { readInteractions } from '../../src/engine/local/dataset-reader';
import { buildDataset } from '../../src/engine/local/dataset';
import { densityHalfLifeDays } from '../../src/engine/local/decay-density';
import { DEFAULT_PARAMS } from '../../src/engine/local/engine-params';
import { Readable } from 'node:stream';

const DAY = 86_400;

/** Decayed events per product at half-life h (days), computed exactly. */
function density(ages: Float64Array, products: number, h: number): number {
  let s = 0;
  for (const a of ages) s += Math.pow(0.5, a / (h * DAY));
  return s / products;
}

describe('model half-life density floor (decay-density.ts)', () => {
  // One event a day for 100 days on each of 20 products: 2,000 events, 100 per product.
  const ages = Float64Array.from({ length: 2000 }, (_, n) => (n % 100) * DAY);

  it('keeps the half-life when the data is already dense enough at it', () => {
    expect(densityHalfLifeDays(ages, 20, 3, 7, 50)).toBe(7);
  });

  it('raises it to the shortest half-life with the asked decayed events per product', () => {
    const h = densityHalfLifeDays(ages, 20, 30, 7, 50);
    expect(h).toBeGreaterThan(7);
    expect(density(ages, 20, h)).toBeCloseTo(30, 0);
    expect(density(ages, 20, h * 0.95)).toBeLessThan(30);
  });

  it('stops at the upper bound when even that is too sparse, and is off at density 0', () => {
    expect(densityHalfLifeDays(ages, 20, 1000, 7, 50)).toBe(50);
    expect(densityHalfLifeDays(ages, 20, 0, 7, 50)).toBe(7);
    expect(densityHalfLifeDays(new Float64Array(0), 0, 3, 7, 50)).toBe(50);
  });

  it('lengthens the model half-life of a sparse store, not of a dense one, whatever the time scale', async () => {
    const csv = (products: number, stretch: number) => {
      const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE'];
      for (let n = 0; n < 4000; n++)
        lines.push(`u${n % 300},i${n % products},${Math.floor((n / 40) * DAY * stretch)},purchase,1`);
      return Readable.from([lines.join('\n') + '\n']);
    };
    const params = { ...DEFAULT_PARAMS, modelHalfLife: 0.02, modelDensity: 3 };
    // 100 days; 40 events a day: 20 products are dense at 2 days, 2,000 products are not.
    const dense = buildDataset(await readInteractions(csv(20, 1)), params);
    const sparse = buildDataset(await readInteractions(csv(2000, 1)), params);
    const sparseYears = buildDataset(await readInteractions(csv(2000, 10)), params);
    expect(dense.timeScale!.modelHalfLifeDays).toBeCloseTo(0.02 * dense.timeScale!.spanDays, 6);
    expect(sparse.timeScale!.modelHalfLifeDays).toBeGreaterThan(10 * dense.timeScale!.modelHalfLifeDays);
    expect(sparse.timeScale!.modelHalfLifeDays).toBeLessThanOrEqual(sparse.timeScale!.halfLifeDays);
    expect(sparseYears.timeScale!.modelHalfLifeDays / sparse.timeScale!.modelHalfLifeDays).toBeCloseTo(10, 1);
  });
});
