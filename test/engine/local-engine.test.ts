import { LocalEngine } from '../../src/engine/local/local-engine';
import { loadLocalRanker } from '../../src/engine/local/local-ranker';
import { loadConfig } from '../../src/config/config';
import { fixtureStore, readJsonLines, readText, type Fixture } from './fixtures';
import type { EngineParams } from '../../src/engine/local/engine-params';

type Line = { input: Record<string, unknown>; output: Record<string, unknown[]> };

function engine(overrides: Partial<EngineParams> = {}): LocalEngine {
  return new LocalEngine(loadConfig({}).engine, { numResults: 5, ...overrides });
}

async function run(f: Fixture, e = engine()) {
  const trained = await e.train(f.ctx);
  const inferred = await e.batchInfer(f.ctx);
  return { trained, inferred };
}

async function lines(f: Fixture, name: string): Promise<Line[]> {
  return (await readJsonLines(f.store, `${f.ctx.layout.outputPrefix}${name}.jsonl`)) as unknown as Line[];
}

describe('LocalEngine', () => {
  let f: Fixture;
  afterEach(() => {
    f.cleanup();
  });

  it('trains every recipe and writes one batch output file per recipe, plus item-affinity-users', async () => {
    f = await fixtureStore();
    const { trained, inferred } = await run(f);
    expect(trained.status).toBe('done');
    if (trained.status !== 'done' || inferred.status !== 'done') throw new Error('not done');
    expect(trained.result.models.map((m) => m.recipe)).toEqual(f.ctx.recipes);
    expect(trained.result.models[0]!.dataSnapshot).toMatchObject({
      interactions: 1080,
      users: 61,
      items: 21,
      rejectedRows: 0,
    });
    expect(inferred.result.outputs.map((o) => o.key.replace(f.ctx.layout.outputPrefix, ''))).toEqual([
      'popularity-count.jsonl',
      'similar-items.jsonl',
      'user-personalization.jsonl',
      'personalized-ranking.jsonl',
      'item-affinity.jsonl',
      'item-affinity-users.jsonl',
    ]);
    expect(inferred.result.outputs.find((o) => o.key.endsWith('/user-personalization.jsonl'))!.lines).toBe(61);
  });

  it('writes the exact batch output format of Personalize', async () => {
    f = await fixtureStore();
    await run(f);
    const up = await readText(f.store, `${f.ctx.layout.outputPrefix}user-personalization.jsonl`);
    expect(up.split('\n')[0]).toMatch(
      /^\{"input":\{"userId":"u00"\},"output":\{"recommendedItems":\["[^"]+"(,"[^"]+")*\],"scores":\[[0-9.e-]+(,[0-9.e-]+)*\],"reasons":\[\{"kind":"[a-z-]+"(,"productIds":\["[^"]+"(,"[^"]+")?\])?\}(,\{"kind":"[a-z-]+"(,"productIds":\["[^"]+"(,"[^"]+")?\])?\})*\]\}\}$/,
    );
    const sim = await lines(f, 'similar-items');
    expect(Object.keys(sim[0]!.input)).toEqual(['itemId']);
    const pr = await lines(f, 'personalized-ranking');
    expect(Object.keys(pr[0]!.input)).toEqual(['userId', 'itemList']);
    expect([...pr[0]!.output.recommendedItems!].sort()).toEqual([...(pr[0]!.input.itemList as string[])].sort());
    const seg = await lines(f, 'item-affinity');
    expect(Object.keys(seg[0]!.output)).toEqual(['recommendedUsers', 'scores']);
    const pop = await lines(f, 'popularity-count');
    expect(pop.map((l) => l.input)).toEqual([
      { scope: 'global' },
      { scope: 'category', category: 'Garden' },
      { scope: 'category', category: 'Kitchen' },
      { scope: 'province', province: 'Punjab' },
      { scope: 'province', province: 'Sindh' },
    ]);
    for (const l of [...sim, ...pr, ...seg, ...pop]) {
      const list = (l.output.recommendedItems ?? l.output.recommendedUsers)!;
      expect(l.output.scores).toHaveLength(list.length);
      const scores = l.output.scores as number[];
      if (!('itemList' in l.input))
        for (let a = 1; a < scores.length; a++) expect(scores[a]!).toBeLessThanOrEqual(scores[a - 1]!);
    }
  });

  it('recommends the products of the customer’s cluster they have not bought, best first', async () => {
    f = await fixtureStore();
    await run(f);
    const up = await lines(f, 'user-personalization');
    const u00 = up.find((l) => l.input.userId === 'u00')!;
    // u00 bought k0..k5 and viewed k6..k9.
    expect(u00.output.recommendedItems!.slice(0, 4).sort()).toEqual(['k6', 'k7', 'k8', 'k9']);
    expect(u00.output.recommendedItems!).not.toEqual(expect.arrayContaining(['k0']));
    for (const l of up.slice(0, 60)) expect(l.output.recommendedItems).toHaveLength(10);
  });

  it('keeps already-bought products when excludePurchased is off (consumables)', async () => {
    f = await fixtureStore();
    await run(f, engine({ excludePurchased: false }));
    const u00 = (await lines(f, 'user-personalization')).find((l) => l.input.userId === 'u00')!;
    expect(
      u00.output.recommendedItems!.filter((i) => ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'].includes(i as string)).length,
    ).toBeGreaterThan(0);
  });

  it('falls back for customers and products unseen in training', async () => {
    f = await fixtureStore();
    await run(f);
    const unew = (await lines(f, 'user-personalization')).find((l) => l.input.userId === 'unew')!;
    // A Punjab customer without history gets what Punjab (the kitchen cluster) buys.
    expect((unew.output.recommendedItems as string[]).slice(0, 10).every((i) => i.startsWith('k'))).toBe(true);
    const knew = (await lines(f, 'similar-items')).find((l) => l.input.itemId === 'knew')!;
    expect((knew.output.recommendedItems as string[]).slice(0, 5).every((i) => /^k\d$/.test(i))).toBe(true);
    const seg = (await lines(f, 'item-affinity')).find((l) => l.input.itemId === 'knew')!;
    expect(seg.output.recommendedUsers).toHaveLength(10);
  });

  it('works without items.csv and users.csv', async () => {
    f = await fixtureStore({ items: null, users: null });
    await run(f);
    const pop = await lines(f, 'popularity-count');
    expect(pop.map((l) => l.input)).toEqual([{ scope: 'global' }]);
    expect((await lines(f, 'user-personalization')).length).toBe(60);
  });

  it('is deterministic and idempotent: a rerun writes the same bytes', async () => {
    f = await fixtureStore();
    await run(f);
    const first = await readText(f.store, `${f.ctx.layout.outputPrefix}item-affinity-users.jsonl`);
    const firstModel = await readText(f.store, `${f.ctx.layout.modelPrefix}local-model.bin`);
    await run(f);
    expect(await readText(f.store, `${f.ctx.layout.outputPrefix}item-affinity-users.jsonl`)).toBe(first);
    expect(await readText(f.store, `${f.ctx.layout.modelPrefix}local-model.bin`)).toBe(firstModel);
  });

  it.each([
    ['cosine', { algorithm: 'cosine' }],
    ['EASE alone', { algorithm: 'ease', graphBlend: 0 }],
    ['EASE + RP3beta', { algorithm: 'ease', graphBlend: 0.5 }],
    ['long-memory EASE + RP3beta', { algorithm: 'ease', graphBlend: 0.5, easeMemory: 'long' }],
  ] as const)('recommends the same cluster with %s', async (_name, params) => {
    f = await fixtureStore();
    await run(f, engine(params));
    const u00 = (await lines(f, 'user-personalization')).find((l) => l.input.userId === 'u00')!;
    expect(u00.output.recommendedItems!.slice(0, 4).sort()).toEqual(['k6', 'k7', 'k8', 'k9']);
  });
});

describe('LocalEngine batch inference on worker threads', () => {
  it('writes byte-identical output with 2 worker threads and inline', async () => {
    const inline = await fixtureStore();
    const threaded = await fixtureStore();
    try {
      await run(inline, engine({ workers: 0 }));
      await run(threaded, engine({ workers: 2 }));
      for (const name of ['user-personalization', 'item-affinity', 'item-affinity-users']) {
        const key = `${inline.ctx.layout.outputPrefix}${name}.jsonl`;
        expect(await readText(threaded.store, key)).toBe(await readText(inline.store, key));
      }
    } finally {
      inline.cleanup();
      threaded.cleanup();
    }
  });
});

describe('personalized-ranking batch output', () => {
  it('ranks the default list (the most popular products) as the in-process ranker does', async () => {
    const f = await fixtureStore();
    try {
      await run(f);
      const ranker = await loadLocalRanker(f.store, f.ctx.layout.modelPrefix);
      for (const l of (await lines(f, 'personalized-ranking')).slice(0, 5)) {
        const ranked = await ranker.rank(l.input.userId as string, l.input.itemList as string[]);
        expect(l.output.recommendedItems).toEqual(ranked.map((x) => x.productId));
      }
    } finally {
      f.cleanup();
    }
  });
});
