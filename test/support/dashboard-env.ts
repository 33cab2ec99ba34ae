// Everything the dashboard's browser tests and `npm run screenshots` run against: a real gateway
// (serving the built web/dist), PostgreSQL (the test's own schema), Redis (its own prefix) and a
// worker process, over a small synthetic store.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { generateSyntheticStore } from '../../src/generate/synthetic-store';
import { writeSyntheticStore } from '../../src/generate/synthetic-store-writer';
import { startChildWorker, waitForWorkerReady, type ChildWorker } from './child-worker';
import { startGateway, type Harness } from './gateway-harness';
import { createTestContext, type TestContext } from './test-context';

const ROOT = path.resolve(__dirname, '..', '..');

export interface DashboardEnv {
  ctx: TestContext;
  gateway: Harness;
  worker: ChildWorker;
  /** The dashboard's own URL (…/dashboard/). */
  url: string;
  keys: { admin: string; read: string };
  close(): Promise<void>;
}

/** Builds web/ so the pages under test are the current source (a couple of seconds). */
export function buildDashboard(): void {
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
}

export async function startDashboardEnv(
  store = { customers: 400, products: 80, interactions: 4_000 },
): Promise<DashboardEnv> {
  const ctx = await createTestContext({ RECIPES: 'popularity-count,similar-items,user-personalization,item-affinity' });
  const generated = generateSyntheticStore({ ...store, seed: 7 });
  await writeSyntheticStore(ctx.db, generated, {});
  const admin = (await createApiKey(ctx.db.pool, 'admin', 'browser admin')).key;
  const read = (await createApiKey(ctx.db.pool, 'read', 'browser read')).key;
  const worker = startChildWorker(ctx, { RECIPES: ctx.config.engine.recipes.join(',') });
  await waitForWorkerReady(worker, 60_000);
  const gateway = await startGateway(ctx, { authCacheMs: 0, batchVersionRefreshMs: 200 });
  return {
    ctx,
    gateway,
    worker,
    url: `${gateway.url}/dashboard/`,
    keys: { admin, read },
    async close() {
      await gateway.close();
      await worker.stop();
      await ctx.close();
    },
  };
}
