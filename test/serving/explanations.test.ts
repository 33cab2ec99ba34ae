// Every personalised item says why: the built-in engine writes a reason per item in its
// user-personalization output (the history products behind the score, or the fallback tier), the
// loader keeps it in the cache tables, and GraphQL serves RecommendationItem.reason with product
// names. Similar items say which product they are bought with and how many customers had both.
// The REST responses carry the same reasons. An output without reasons (AWS's) still loads, and its
// items get their source's reason.
import { loadConfig } from '../../src/config/config';
import { LocalEngine } from '../../src/engine/local/local-engine';
import { loadResults } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { fixtureStore, interactionsCsv, readJsonLines, type Fixture } from '../engine/fixtures';
import { startGateway, type Harness } from '../support/gateway-harness';
import { DEFAULT_LOAD_GUARD } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-context';

interface Line {
  input: { userId: string };
  output: { recommendedItems: string[]; scores: number[]; reasons?: { kind: string; productIds?: string[] }[] };
}

interface ItemLine {
  input: { itemId: string };
  output: {
    recommendedItems: string[];
    scores: number[];
    reasons: { kind: string; productIds?: string[]; count?: number }[];
  };
}

describe('explanations (reasons per recommended item)', () => {
  let fx: Fixture;
  let ctx: TestContext;
  let h: Harness;
  let lines: Line[];
  let similar: ItemLine[];

  beforeAll(async () => {
    fx = await fixtureStore({}, ['user-personalization', 'similar-items', 'popularity-count']);
    const engine = new LocalEngine(loadConfig({}).engine, { numResults: 5 });
    await engine.train(fx.ctx);
    await engine.batchInfer(fx.ctx);
    lines = (await readJsonLines(
      fx.store,
      `${fx.ctx.layout.outputPrefix}user-personalization.jsonl`,
    )) as unknown as Line[];
    similar = (await readJsonLines(
      fx.store,
      `${fx.ctx.layout.outputPrefix}similar-items.jsonl`,
    )) as unknown as ItemLine[];
    ctx = await createTestContext({ LOG_LEVEL: 'silent' });
    const ids = [...Array(10).keys()].flatMap((n) => [`k${n}`, `g${n}`]);
    await ctx.db.pool.query(`INSERT INTO products (id, name) SELECT id, 'Name of ' || id FROM unnest($1::text[]) id`, [
      ids,
    ]);
    await ctx.db.pool.query(`INSERT INTO customers (id, province) VALUES ('u00', 'Punjab'), ('u01', 'Punjab')`);
    const run = await ctx.db.pool.query<{ id: number }>(
      `INSERT INTO pipeline_runs (engine, recipes) VALUES ('local', '{user-personalization}') RETURNING id`,
    );
    // u01's line as AWS would write it: no reasons field.
    const aws = lines.find((l) => l.input.userId === 'u01')!;
    const store = new DirectoryObjectStore(fx.dir);
    await store.put(
      'mixed/user-personalization.jsonl',
      lines
        .filter((l) => l.input.userId === 'u00')
        .concat([
          { input: aws.input, output: { recommendedItems: aws.output.recommendedItems, scores: aws.output.scores } },
        ])
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    await loadResults(ctx.db, store, {
      runId: run.rows[0]!.id,
      mode: 'FULL',
      outputs: {
        'user-personalization': 'mixed/user-personalization.jsonl',
        'similar-items': `${fx.ctx.layout.outputPrefix}similar-items.jsonl`,
      },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    h = await startGateway(ctx);
  });

  afterAll(async () => {
    await h.close();
    await ctx.close();
    fx.cleanup();
  });

  it('writes one reason per item; history reasons name products the customer bought', () => {
    const bought = new Map<string, Set<string>>();
    const csv = interactionsCsv().trim().split('\n').slice(1);
    for (const l of csv) {
      const [u, i, , type] = l.split(',');
      if (type === 'purchase') bought.set(u!, (bought.get(u!) ?? new Set()).add(i!));
    }
    let history = 0;
    for (const l of lines) {
      const { recommendedItems, reasons } = l.output;
      // One reason per item of the page (numResults, 5 here); the extra candidates carry none.
      expect(reasons).toHaveLength(Math.min(5, recommendedItems.length));
      for (const r of reasons!) {
        expect(['history', 'popular-in-province', 'trending']).toContain(r.kind);
        if (r.kind !== 'history') continue;
        history += 1;
        expect(r.productIds!.length).toBeGreaterThanOrEqual(1);
        expect(r.productIds!.length).toBeLessThanOrEqual(2);
        for (const id of r.productIds!) expect(bought.get(l.input.userId)!.has(id)).toBe(true);
      }
    }
    expect(history).toBeGreaterThan(lines.length);
  });

  it('serves the reasons through GraphQL, with product names, and source reasons for an output without them', async () => {
    type Items = {
      items: {
        product: { id: string };
        source: string;
        reason: { kind: string; productIds: string[]; text: string };
      }[];
    };
    const q = (user: string) =>
      h.gql<{ recommendations: Items }>(
        `query($u: ID!) { recommendations(userId: $u, limit: 5) { items { product { id } source reason { kind productIds text } } } }`,
        { u: user },
      );
    const own = await q('u00');
    expect(own.body.errors).toBeUndefined();
    const first = own.body.data!.recommendations.items[0]!;
    const written = lines.find((l) => l.input.userId === 'u00')!.output.reasons![0]!;
    expect(first.reason.kind).toBe('HISTORY');
    expect(first.reason.productIds).toEqual(written.productIds);
    expect(first.reason.text).toBe(
      `Because you bought ${written.productIds!.map((id) => `Name of ${id}`).join(' and ')}`,
    );
    const plain = await q('u01');
    expect(plain.body.errors).toBeUndefined();
    for (const item of plain.body.data!.recommendations.items)
      if (item.source === 'PERSONALIZED')
        expect(item.reason).toEqual({ kind: 'PERSONALIZED', productIds: [], text: 'Recommended for you' });
  });

  /** Customers with a positively weighted event for both products (views count: the cosine input). */
  function customersWithBoth(a: string, b: string): number {
    const had = new Map<string, Set<string>>();
    for (const l of interactionsCsv().trim().split('\n').slice(1)) {
      const [u, i] = l.split(',');
      had.set(u!, (had.get(u!) ?? new Set()).add(i!));
    }
    return [...had.values()].filter((s) => s.has(a) && s.has(b)).length;
  }

  it('writes "bought with" reasons for similar items, with the customers who had both', () => {
    let boughtWith = 0;
    for (const l of similar) {
      const { recommendedItems, reasons } = l.output;
      expect(reasons).toHaveLength(Math.min(5, recommendedItems.length));
      reasons.forEach((r, n) => {
        expect(['bought-with', 'popular-in-category', 'trending']).toContain(r.kind);
        if (r.kind !== 'bought-with') return;
        boughtWith += 1;
        expect(r.productIds).toEqual([l.input.itemId]);
        expect(r.count).toBe(customersWithBoth(l.input.itemId, recommendedItems[n]!));
        expect(r.count).toBeGreaterThan(0);
      });
    }
    expect(boughtWith).toBeGreaterThan(similar.length);
  });

  it('serves them through GraphQL and REST: the product named, the count in the text', async () => {
    const line = similar.find((l) => l.input.itemId === 'k3')!;
    const written = line.output.reasons[0]!;
    expect(written.kind).toBe('bought-with');
    const expected = {
      kind: 'BOUGHT_TOGETHER',
      productIds: ['k3'],
      text: `Often bought with Name of k3 (${written.count} customers bought both)`,
      count: written.count,
    };
    const g = await h.gql<{ similarItems: { items: { product: { id: string }; reason: unknown }[] } }>(
      `query { similarItems(productId: "k3", limit: 5) { items { product { id } reason { kind productIds text count } } } }`,
    );
    expect(g.body.errors).toBeUndefined();
    const first = g.body.data!.similarItems.items[0]!;
    expect(first.product.id).toBe(line.output.recommendedItems[0]);
    expect(first.reason).toEqual(expected);

    const rest = await h.get('/api/v1/personalize/similar-items/k3?limit=5');
    expect(rest.status).toBe(200);
    const body = JSON.parse(rest.text) as { similar_products: { product_id: string; reason: unknown }[] };
    expect(body.similar_products[0]).toMatchObject({
      product_id: line.output.recommendedItems[0],
      reason: { kind: 'BOUGHT_TOGETHER', product_ids: ['k3'], text: expected.text, count: written.count },
    });
  });

  it('REST recommendations carry the history reasons, named', async () => {
    const written = lines.find((l) => l.input.userId === 'u00')!.output.reasons![0]!;
    const rest = await h.get('/api/v1/personalize/recommendations/u00?limit=5');
    expect(rest.status).toBe(200);
    const body = JSON.parse(rest.text) as { recommendations: { reason: unknown }[] };
    expect(body.recommendations[0]!.reason).toEqual({
      kind: 'HISTORY',
      product_ids: written.productIds,
      text: `Because you bought ${written.productIds!.map((id) => `Name of ${id}`).join(' and ')}`,
      count: null,
    });
  });
});
