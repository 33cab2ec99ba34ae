// What serving reads batch results through. Every read is pinned to a Batch: it returns that
// batch's data or throws BatchMovedError (a newer batch was committed), never a mix. Two
// implementations: PostgresResultStore (the cache tables) and HotResultStore (Redis in front of
// another store); test/results/result-store.contract.ts runs the same suite against both.
import type { Batch } from './batch';
import type { ListKind } from './result-kinds';
import type { CachedList, CachedSegment, PopularScope, ProductRow } from './result-types';

export interface ResultStore {
  /** One product list of `kind` for one customer or product; null when the batch has none. */
  list(batch: Batch, kind: ListKind, id: string): Promise<CachedList | null>;
  /** Many lists of one kind; ids without a list map to null. */
  lists(batch: Batch, kind: ListKind, ids: readonly string[]): Promise<Map<string, CachedList | null>>;
  /** Popular items of a scope: 'global' (value ''), 'category' or 'province'. */
  popular(batch: Batch, scope: PopularScope, value: string): Promise<CachedList | null>;
  /** The customers most likely to buy a product (the item-affinity segment). */
  segment(batch: Batch, productId: string): Promise<CachedSegment | null>;
}

/** How stores resolve product ids into the product fields a list carries (the catalogue). */
export interface ProductLookup {
  productsByIds(ids: readonly string[]): Promise<Map<string, ProductRow>>;
}
