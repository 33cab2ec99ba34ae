// Provenance and staleness are pure functions of a Batch: no services needed.
import {
  NO_BATCH,
  freshnessDays,
  isEntryStale,
  isStale,
  kindOfOutput,
  modelVersionOf,
  paramsDigest,
  provenanceOf,
  recipeOfOutput,
  type Batch,
} from '../../src/results';

const DAY = 86_400_000;
const batch = (over: Partial<Batch>): Batch => ({ ...NO_BATCH, version: 3, ...over });

describe('modelVersionOf', () => {
  const b = batch({ modelVersions: { 'user-personalization': 11, 'item-affinity': 12 } });
  it('names the model of the recipe that produced a cache row', () => {
    expect(modelVersionOf(b, 'user-personalization')).toBe('11');
    // The item-affinity-users output is made from the item-affinity model; AWS spells recipes aws-*.
    expect(modelVersionOf(b, 'item-affinity-users')).toBe('12');
    expect(modelVersionOf(b, 'aws-user-personalization')).toBe('11');
  });
  it('is null for rows without a recipe or a recipe the batch has no model for', () => {
    expect(modelVersionOf(b, null)).toBeNull();
    expect(modelVersionOf(b, 'similar-items')).toBeNull();
    expect(modelVersionOf(NO_BATCH, 'user-personalization')).toBeNull();
  });
});

describe('provenanceOf', () => {
  const previous = batch({ modelVersions: { 'user-personalization': 1, 'similar-items': 2 } });
  const rows = [
    { id: 1, run_id: 5, recipe: 'user-personalization', params: { factors: 8 } },
    { id: 2, run_id: 5, recipe: 'similar-items', params: { k: 20 } },
    { id: 9, run_id: 6, recipe: 'user-personalization', params: { factors: 16 } },
  ];
  it("names the run's models and keeps the previous batch's for recipes the run did not train", () => {
    expect(provenanceOf(previous, 6, rows).modelVersions).toEqual({ 'user-personalization': 9, 'similar-items': 2 });
  });
  it('gives equal digests for equal parameters, another for other parameters', () => {
    const a = provenanceOf(previous, 6, rows).paramsDigest;
    expect(provenanceOf(previous, 6, [...rows].reverse()).paramsDigest).toBe(a);
    expect(provenanceOf(previous, 5, rows.slice(0, 2)).paramsDigest).not.toBe(a);
    expect(provenanceOf(NO_BATCH, 7, [])).toEqual({ modelVersions: {}, paramsDigest: null });
  });
  it('normalises recipe spellings and key order', () => {
    expect(
      provenanceOf(NO_BATCH, 1, [{ id: 4, run_id: 1, recipe: 'aws-similar-items', params: {} }]).modelVersions,
    ).toEqual({ 'similar-items': 4 });
    expect(paramsDigest([['r', { a: 1, b: [1, { c: 2, d: 3 }] }]])).toBe(
      paramsDigest([['r', { b: [1, { d: 3, c: 2 }], a: 1 }]]),
    );
  });
});

describe('freshness and staleness', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('is the age of the batch in days, null before any load', () => {
    expect(freshnessDays(batch({ loadedAt: new Date(now - 1.5 * DAY) }), now)).toBe(1.5);
    expect(freshnessDays(NO_BATCH, now)).toBeNull();
  });
  it('calls a batch stale past 35 days or when none is loaded', () => {
    expect(isStale(batch({ loadedAt: new Date(now - 35 * DAY) }), now)).toBe(false);
    expect(isStale(batch({ loadedAt: new Date(now - 36 * DAY) }), now)).toBe(true);
    expect(isStale(NO_BATCH, now)).toBe(true);
  });
  it('calls an entry stale when it was made under another batch or other parameters', () => {
    const current = batch({ version: 4, paramsDigest: 'abc' });
    expect(isEntryStale({ version: 4, paramsDigest: 'abc' }, current)).toBe(false);
    expect(isEntryStale({ version: 3, paramsDigest: 'abc' }, current)).toBe(true);
    expect(isEntryStale({ version: 4, paramsDigest: 'old' }, current)).toBe(true);
  });
});

describe('result kinds', () => {
  it('maps every batch output to its table, and knows the outputs that fill none', () => {
    expect(kindOfOutput('user-personalization')).toBe('userRecommendations');
    expect(kindOfOutput('item-affinity')).toBe('itemSegments');
    expect(kindOfOutput('item-affinity-users')).toBe('itemAffinity');
    expect(kindOfOutput('personalized-ranking')).toBeNull();
    expect(kindOfOutput('nonsense')).toBeUndefined();
    expect(recipeOfOutput('popularity-count')).toBe('popularity-count');
  });
});
