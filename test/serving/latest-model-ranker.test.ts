// The gateway's LatestModelRanker without a trained model: it answers null (rankItems falls back)
// without an error, and looks for a newer run at most every 10 s, in the background after the first.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/infra/logger';
import { LatestModelRanker } from '../../src/serving/latest-model-ranker';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { recordQueries } from '../support/query-recorder';
import { createTestContext, type TestContext } from '../support/test-context';

describe('LatestModelRanker', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await ctx.close();
  });

  it('ranks nothing while no run succeeded, reading pipeline_runs once per 10 s, not once per request', async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const store = new DirectoryObjectStore(mkdtempSync(path.join(tmpdir(), 'ranker-')));
    const ranker = new LatestModelRanker(ctx.db, store, createLogger({ logLevel: 'silent' }));
    const recorded = recordQueries(ctx.db.pool);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => ranker.rank('c1', ['p1', 'p2'])));
      expect(answers.every((a) => a === null)).toBe(true);
      for (let i = 0; i < 20; i++) expect(await ranker.rank('c1', ['p1'])).toBeNull();
      expect(recorded.sql.filter((s) => s.includes('pipeline_runs'))).toHaveLength(1);
      now += 10_001;
      expect(await ranker.rank('c1', ['p1'])).toBeNull();
      expect(recorded.sql.filter((s) => s.includes('pipeline_runs'))).toHaveLength(2);
    } finally {
      recorded.stop();
    }
  });
});
