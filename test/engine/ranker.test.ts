import { LocalEngine } from '../../src/engine/local/local-engine';
import { loadLocalRanker } from '../../src/engine/local/local-ranker';
import { loadConfig } from '../../src/config/config';
import { fixtureStore, type Fixture } from './fixtures';
import type { Ranker } from '../../src/engine/ranker';

describe('LocalRanker', () => {
  let f: Fixture;
  let ranker: Ranker;
  beforeAll(async () => {
    f = await fixtureStore();
    await new LocalEngine(loadConfig({}).engine).train(f.ctx);
    ranker = await loadLocalRanker(f.store, f.ctx.layout.modelPrefix);
  });
  afterAll(() => {
    f.cleanup();
  });

  it("puts the customer's likely products first and returns every product once", async () => {
    const ranked = await ranker.rank('u00', ['g1', 'k7', 'g2', 'k8']);
    expect(
      ranked
        .map((r) => r.productId)
        .slice(0, 2)
        .sort(),
    ).toEqual(['k7', 'k8']);
    expect(ranked.map((r) => r.productId).sort()).toEqual(['g1', 'g2', 'k7', 'k8']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[3]!.score);
  });

  it('puts unknown products last in input order, and drops duplicates', async () => {
    const ranked = await ranker.rank('u00', ['zz', 'k7', 'aa', 'k7']);
    expect(ranked.map((r) => r.productId)).toEqual(['k7', 'zz', 'aa']);
  });

  it('orders by popularity for an unknown customer', async () => {
    const ranked = await ranker.rank('nobody', ['knew', 'k1', 'g1']);
    expect(ranked.map((r) => r.productId)[2]).toBe('knew');
    expect(ranked.every((r) => r.score === 0)).toBe(true);
  });
});
