// Redis key layout of the hot layer. Keys carry the batch version, so bumping the version (after
// each load) makes every older hot entry unreachable; TTLs then reclaim them.
import type { PopularScope } from './result-types';
import { RESULT_KINDS } from './result-kinds';

export function batchVersionKey(prefix: string): string {
  return `${prefix}:cache:batch-version`;
}

export function hotKey(prefix: string, batchVersion: number, kind: string, id: string): string {
  return `${prefix}:cache:v${batchVersion}:${kind}:${id}`;
}

/**
 * The hot-layer entries that are not one table row by one id: kind and id of each (the cache
 * warmer writes the same ones the recommendation service reads).
 */
export const HOT_ENTRY = {
  popular: (scope: PopularScope, value: string) => ({
    kind: RESULT_KINDS.popularItems.hotKind,
    id: `${scope}:${value}`,
  }),
  province: (userId: string) => ({ kind: 'province', id: userId }),
  category: (productId: string) => ({ kind: 'category', id: productId }),
} as const;
