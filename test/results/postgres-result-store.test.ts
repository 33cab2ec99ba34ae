import { PostgresResultStore } from '../../src/results';
import { CatalogRepository } from '../../src/serving/catalog-repository';
import { createTestContext, type TestContext } from '../support/test-context';
import { describeResultStoreContract } from './result-store.contract';

let ctx: TestContext;
describeResultStoreContract(
  'PostgresResultStore',
  async () => {
    ctx = await createTestContext();
    return { ctx, store: new PostgresResultStore(ctx.db.pool, new CatalogRepository(ctx.db.pool)) };
  },
  async () => {
    await ctx.close();
  },
);
