// One behaviour, every backend: the PostgreSQL result store and the Redis hot layer over it both
// run this suite (as the object stores run test/storage/object-store.contract.ts).
import { BatchMovedError, readNewestBatch, type Batch, type ResultStore } from '../../src/results';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';
import type { TestContext } from '../support/test-context';

export interface ResultStoreFixture {
  ctx: TestContext;
  store: ResultStore;
}

export function describeResultStoreContract(
  name: string,
  setup: () => Promise<ResultStoreFixture>,
  teardown: () => Promise<void>,
): void {
  describe(`ResultStore contract: ${name}`, () => {
    let fx: ResultStoreFixture;
    let seed: ServingFixture;
    let batch: Batch;
    beforeAll(async () => {
      fx = await setup();
      seed = await seedServing(fx.ctx.db);
      batch = await readNewestBatch(fx.ctx.db.pool);
    });
    afterAll(teardown);

    it("reads a list by kind and id, products resolved, labelled with the batch's model version", async () => {
      const list = await fx.store.list(batch, 'userRecommendations', 'c2');
      expect(list).toEqual({
        items: [20, 21, 22].map((n, i) => ({
          product: { id: `p${n}`, name: `Product ${n}`, category: expect.any(String) as string, price: 10 + n - 1 },
          score: Math.round((0.9 - i * 0.01) * 1000) / 1000,
        })),
        recipe: 'user-personalization',
        modelVersion: String(seed.modelVersions['user-personalization']),
      });
    });

    it('leaves out products missing from the catalogue', async () => {
      const list = await fx.store.list(batch, 'userRecommendations', 'c1');
      expect(list!.items.map((i) => i.product.id)).not.toContain('p99');
      expect(list!.items).toHaveLength(11);
    });

    it('answers null for an id the batch has no list for, and reads every list kind', async () => {
      expect(await fx.store.list(batch, 'userRecommendations', 'nobody')).toBeNull();
      expect((await fx.store.list(batch, 'similarItems', 'p1'))!.items.map((i) => i.product.id)).toEqual([
        'p4',
        'p7',
        'p10',
        'p1',
      ]);
      expect((await fx.store.list(batch, 'itemAffinity', 'c1'))!.modelVersion).toBe(
        String(seed.modelVersions['item-affinity']),
      );
    });

    it('reads many lists of one kind, ids without a list mapping to null', async () => {
      const many = await fx.store.lists(batch, 'userRecommendations', ['c1', 'c2', 'c3']);
      expect([...many.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
      expect(many.get('c3')).toBeNull();
      expect(many.get('c2')).toEqual(await fx.store.list(batch, 'userRecommendations', 'c2'));
    });

    it('reads popular lists per scope and the item-affinity segment', async () => {
      expect((await fx.store.popular(batch, 'global', ''))!.items).toHaveLength(25);
      expect((await fx.store.popular(batch, 'province', 'Punjab'))!.items.map((i) => i.product.id)).toEqual([
        'p40',
        'p41',
        'p42',
      ]);
      expect(await fx.store.popular(batch, 'province', 'Nowhere')).toBeNull();
      expect(await fx.store.segment(batch, 'p1')).toEqual({
        users: [
          { userId: 'c1', score: 0.9 },
          { userId: 'c2', score: 0.5 },
          { userId: 'c3', score: 0.1 },
        ],
        modelVersion: String(seed.modelVersions['item-affinity']),
      });
    });

    it('refuses a read pinned to a batch that is no longer the newest, naming the newer one', async () => {
      const { rows } = await fx.ctx.db.pool.query<{ id: number }>(
        `INSERT INTO cache_batches (mode, model_versions) VALUES ('UPDATE', '{"similar-items": 7}') RETURNING id`,
      );
      const newer = rows[0]!.id;
      // An id read at the old batch for the first time: a miss in every layer.
      const read = fx.store.list(batch, 'similarItems', 'p2');
      await expect(read).rejects.toBeInstanceOf(BatchMovedError);
      const moved = (await read.catch((e: unknown) => e)) as BatchMovedError;
      expect(moved.observed).toMatchObject({ version: newer, modelVersions: { 'similar-items': 7 } });
      expect(moved.observed.loadedAt).toBeInstanceOf(Date);
      const list = await fx.store.list(moved.observed, 'similarItems', 'p1');
      expect(list!.modelVersion).toBe('7');
    });
  });
}
