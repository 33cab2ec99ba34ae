// warm-cache: after load-results, fills the Redis hot layer for the top 10% of customers by
// spend under the new batch version, so their first requests after a load are hot hits.
import type { StageFn } from './stage-types';
import { warmHotLayer } from '../results';
import { CatalogRepository } from '../serving/catalog-repository';

export const warmCache: StageFn = async (deps, { progress }) => {
  const result = await warmHotLayer({ ...deps, catalog: new CatalogRepository(deps.db.pool) }, { progress });
  if (result.batchVersion === 0) return { status: 'skipped', reason: 'no cache batch has been loaded yet' };
  return {
    status: 'done',
    counts: { batchVersion: result.batchVersion, customers: result.customers, entries: result.entries, ms: result.ms },
    message: `warmed ${result.customers} customers (${result.entries} hot entries) in ${result.ms} ms`,
  };
};
