// The Redis hot layer as a ResultStore: it wraps another store (PostgreSQL) and answers from Redis
// when it can. Keys carry the pinned Batch's version, so an entry is never served for another
// batch; a miss reads the wrapped store, which enforces the pin (BatchMovedError).
import type { Batch } from './batch';
import type { HotLayer } from './hot-cache';
import { HOT_ENTRY } from './hot-keys';
import { RESULT_KINDS, type ListKind } from './result-kinds';
import type { ResultStore } from './result-store';
import type { CachedList, CachedSegment, PopularScope } from './result-types';

export class HotResultStore implements ResultStore {
  constructor(
    private readonly hot: HotLayer,
    private readonly inner: ResultStore,
  ) {}

  list(batch: Batch, kind: ListKind, id: string): Promise<CachedList | null> {
    return this.hot.getOrLoad(batch.version, RESULT_KINDS[kind].hotKind, id, () => this.inner.list(batch, kind, id));
  }

  lists(batch: Batch, kind: ListKind, ids: readonly string[]): Promise<Map<string, CachedList | null>> {
    return this.hot.getOrLoadMany(batch.version, RESULT_KINDS[kind].hotKind, ids, (missing) =>
      this.inner.lists(batch, kind, missing),
    );
  }

  popular(batch: Batch, scope: PopularScope, value: string): Promise<CachedList | null> {
    const { kind, id } = HOT_ENTRY.popular(scope, value);
    return this.hot.getOrLoad(batch.version, kind, id, () => this.inner.popular(batch, scope, value));
  }

  segment(batch: Batch, productId: string): Promise<CachedSegment | null> {
    return this.hot.getOrLoad(batch.version, RESULT_KINDS.itemSegments.hotKind, productId, () =>
      this.inner.segment(batch, productId),
    );
  }
}
