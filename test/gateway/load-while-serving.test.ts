import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadResults } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { startGateway, type Harness } from '../support/gateway-harness';
import { createTestContext, type TestContext } from '../support/test-context';
import { DEFAULT_LOAD_GUARD } from '../support/factories';

// Batch A recommends only A-* products, batch B only B-*. Each customer's personalised list has 3
// items and a request asks for 6, so every answer also draws on the batch's global popular list:
// a response mixing two batches (personalised from one, popular from the other) shows at once.
const USERS = 2_000;
const LIMIT = 6;
const LIST = `query($u: ID!) { recommendations(userId: $u, limit: ${LIMIT}) { items { product { id } source } batchVersion } }`;
type List = { recommendations: { items: { product: { id: string }; source: string }[]; batchVersion: number } };

describe('a reader during a load', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;
  let gateways: Harness[];

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-serve-load-'));
    store = new DirectoryObjectStore(dir);
    const ids = ['A', 'B'].flatMap((b) => Array.from({ length: 10 }, (_, i) => `${b}-${i + 1}`));
    await ctx.db.pool.query(
      `INSERT INTO products (id, name, category, price) SELECT id, id, 'Shoes', 10 FROM unnest($1::text[]) AS id`,
      [ids],
    );
    await ctx.db.pool.query(`INSERT INTO customers (id) SELECT 'u' || g FROM generate_series(0, $1::int - 1) g`, [
      USERS,
    ]);
    for (const batch of ['A', 'B']) {
      const lines: string[] = [];
      for (let u = 0; u < USERS; u += 1) {
        const items = [1, 2, 3].map((k) => `${batch}-${((u + k) % 10) + 1}`);
        lines.push(
          JSON.stringify({ input: { userId: `u${u}` }, output: { recommendedItems: items, scores: [0.3, 0.2, 0.1] } }),
        );
      }
      await store.put(`${batch}/user-personalization.jsonl`, lines.join('\n'));
      const popular = Array.from({ length: 10 }, (_, i) => `${batch}-${i + 1}`);
      await store.put(
        `${batch}/popularity-count.jsonl`,
        JSON.stringify({
          input: { scope: 'global' },
          output: { recommendedItems: popular, scores: popular.map((_, i) => 10 - i) },
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const letterOf = new Map<number, string>();
  const load = async (batch: 'A' | 'B', runId: number) => {
    const { batchVersion } = await loadResults(ctx.db, store, {
      runId,
      mode: 'FULL',
      outputs: {
        'user-personalization': `${batch}/user-personalization.jsonl`,
        'popularity-count': `${batch}/popularity-count.jsonl`,
      },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    letterOf.set(batchVersion, batch);
    return batchVersion;
  };

  it('gets every list entirely from one batch, and never an older batch once a newer one was seen', async () => {
    await load('A', 1);
    // Refreshing the batch version every 20 ms makes the switch land in the middle of requests.
    // One gateway serves from the hot layer and PostgreSQL alone, one with its response cache too.
    gateways = [
      await startGateway(ctx, { batchVersionRefreshMs: 20, responseCacheEntries: 0 }),
      await startGateway(ctx, { batchVersionRefreshMs: 20 }),
    ];
    let loading = true;
    let requests = 0;
    const newestSeen = [0, 0];
    const failures: string[] = [];
    const answers: { userId: string; batchVersion: number; letters: string }[] = [];
    const reader = async (g: number, seed: number) => {
      let n = seed;
      while (loading) {
        n = (n * 7919 + 13) % USERS;
        const userId = `u${n}`;
        const floor = newestSeen[g]!; // the newest batch this gateway had answered with before this request
        const r = await gateways[g]!.gql<List>(LIST, { u: userId });
        requests += 1;
        if (r.body.errors) {
          failures.push(`${userId}: ${r.body.errors[0]!.message}`);
          continue;
        }
        const list = r.body.data!.recommendations;
        const letters = new Set(list.items.map((i) => i.product.id[0]));
        if (list.items.length !== LIMIT) failures.push(`${userId}: ${list.items.length} items`);
        if (letters.size !== 1)
          failures.push(`${userId}: mixed batches ${list.items.map((i) => i.product.id).join(',')}`);
        answers.push({ userId, batchVersion: list.batchVersion, letters: [...letters].join('') });
        if (list.batchVersion < floor)
          failures.push(`${userId}: batch ${list.batchVersion} after batch ${floor} was seen`);
        newestSeen[g] = Math.max(newestSeen[g]!, list.batchVersion);
      }
    };
    const readers = [0, 1].flatMap((g) => [1, 2, 3].map((s) => reader(g, s * 101 + g)));
    // Let the hot layer fill with batch A first, then swap batches under the readers.
    await new Promise((r) => setTimeout(r, 300));
    const versions = [await load('B', 2), await load('A', 3), await load('B', 4)];
    await new Promise((r) => setTimeout(r, 200));
    loading = false;
    await Promise.all(readers);
    // Each answer is labelled with the batch its items came from (versions are known only now).
    for (const a of answers) {
      if (a.letters !== letterOf.get(a.batchVersion))
        failures.push(
          `${a.userId}: batch ${a.batchVersion} is ${letterOf.get(a.batchVersion)} but items are ${a.letters}`,
        );
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(requests).toBeGreaterThan(50);
    // The readers did follow the loads to the last batch.
    expect(newestSeen).toEqual([versions[2], versions[2]]);
  });
});
