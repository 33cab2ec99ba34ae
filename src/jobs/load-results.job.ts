// load-results: every batch output of the run goes into the cache tables in one transaction,
// then the batch version is bumped in Redis so older hot entries are never served again. A batch
// the load guard refuses (src/results/load-guard.ts) fails the stage at once; the live one stays.
import { PermanentStageError } from '../errors/permanent-stage-error';
import type { StageFn } from './stage-types';
import { batchVersionKey, loadResults } from '../results';
import { changedSince } from './changed-since';
import { scrubErasedFromCache } from '../privacy/customer-erasure';
import { pinnedModelVersions } from '../experiments';

export const loadResultsStage: StageFn = async (deps, { run, layout, recipes, progress }) => {
  const files = await deps.store.list(layout.outputPrefix);
  const outputs: Record<string, string> = {};
  for (const f of files) {
    const name = f.key.slice(layout.outputPrefix.length).replace(/\.jsonl$/, '');
    if (f.key.endsWith('.jsonl') && !name.includes('/')) outputs[name] = f.key;
  }
  if (Object.keys(outputs).length === 0) {
    throw new PermanentStageError(`no batch output found under ${deps.store.uri(layout.outputPrefix)}`);
  }
  await progress(10, `loading ${Object.keys(outputs).length} batch outputs`);
  const only = run.mode === 'UPDATE' ? await changedSince(deps.db, run.id) : undefined;
  const result = await loadResults(deps.db, deps.store, {
    runId: run.id,
    mode: run.mode,
    outputs,
    only,
    fillUsersFromPopularity: !recipes.includes('user-personalization'),
    guard: { ...deps.config.pipeline.load, force: run.forceLoad },
    // The batch a running (or paused, or draft) experiment's variant is pinned to outlives this load.
    pinnedModelVersions,
    excludePurchased: deps.config.engine.excludePurchased,
  });
  if (result.purchasedExcluded)
    deps.logger.info(
      { runId: run.id, lists: result.purchasedExcluded },
      'purchased products removed from loaded lists',
    );
  for (const p of result.problems) deps.logger.warn({ runId: run.id, ...p }, 'batch output line skipped');
  // Customers erased since this run exported its datasets are still in its output: never serve them.
  const scrubbed = await scrubErasedFromCache(deps.db.pool);
  if (scrubbed) deps.logger.info({ runId: run.id, scrubbed }, 'erased customers removed from the loaded batch');
  await progress(95, 'publishing batch version');
  await deps.redis.set(batchVersionKey(deps.config.redis.prefix), String(result.batchVersion));
  return {
    status: 'done',
    counts: {
      batchVersion: result.batchVersion,
      lines: result.lines,
      failedLines: result.failedLines,
      purchasedExcluded: result.purchasedExcluded,
      ...result.rows,
    },
  };
};
