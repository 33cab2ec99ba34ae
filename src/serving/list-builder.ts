// The fill rule: walk the primary list, then each fallback in turn, keeping the items that pass
// the filter, until `limit` items are found; the catalogue itself is the last resort. Every item
// says which source it came from. A source that fails (PostgreSQL down on a miss) is skipped and
// reported as `degraded`, so the response is not cached.
import type { Logger } from '../infra/logger';
import {
  BatchMovedError,
  type CachedList,
  type ProductRow,
  type RecommendationSource,
  type StoredReason,
} from '../results';
import type { RecommendationFilter } from '../schema/__generated__/schema-types';
import type { CatalogueFillQuery } from './catalog-repository';
import { ServingUnavailableError } from './serving-unavailable-error';

export interface CandidateSource {
  source: RecommendationSource;
  load: () => Promise<CachedList | null>;
}

export interface BuildListInput {
  limit: number;
  filter: RecommendationFilter | null | undefined;
  /** Products never to return (excludeProductIds, interacted products, the seed product). */
  exclude: Iterable<string>;
  /** Products not to recommend now (archived, draft, deleted, out of stock), whatever the batch says. */
  unavailable?: ReadonlySet<string>;
  chain: CandidateSource[];
  catalogueFill: ((q: CatalogueFillQuery) => Promise<ProductRow[]>) | null;
  /** The batch every source of the chain is read at (reported with the list). */
  batchVersion: number;
}

/** One item of a built list: the reason is the batch's own, when its output carried one. */
export interface BuiltItem {
  product: ProductRow;
  score: number;
  source: RecommendationSource;
  reason?: StoredReason | null;
}

export interface BuiltList {
  items: BuiltItem[];
  source: RecommendationSource;
  filled: boolean;
  modelVersion: string | null;
  degraded: boolean;
  batchVersion: number;
  /** The recent activity it was made with (re-ranking on): a cached copy is checked against it. */
  activity?: ListActivity;
}

/** What a list read of its subjects' recent activity, for the response cache to check before reuse. */
export interface ListActivity {
  subjects: string[];
  /** The subjects' activity versions when read (UNKNOWN_ACTIVITY when Redis could not say). */
  versions: string[];
  /** Re-ranked: its event weights decay, so a copy is reused for at most this long; null: not re-ranked. */
  reuseForMs: number | null;
}

export function productPasses(p: ProductRow, filter: RecommendationFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.categories?.length && (p.category === null || !filter.categories.includes(p.category))) return false;
  if (filter.minPrice != null && (p.price === null || p.price < filter.minPrice)) return false;
  if (filter.maxPrice != null && (p.price === null || p.price > filter.maxPrice)) return false;
  return true;
}

export async function buildList(input: BuildListInput, logger: Logger): Promise<BuiltList> {
  const { limit, filter } = input;
  const seen = new Set<string>(input.exclude);
  const items: BuiltList['items'] = [];
  let modelVersion: string | null = null;
  let degraded = false;
  let firstError: unknown;

  for (const candidate of input.chain) {
    if (items.length >= limit) break;
    let list: CachedList | null;
    try {
      list = await candidate.load();
    } catch (err) {
      // A newer batch was committed: the whole list starts over at it (RecommendationService).
      if (err instanceof BatchMovedError) throw err;
      degraded = true;
      firstError ??= err;
      logger.warn({ err, source: candidate.source }, 'recommendation source unavailable; trying the next one');
      continue;
    }
    if (!list) continue;
    const before = items.length;
    for (const { product, score, reason } of list.items) {
      if (items.length >= limit) break;
      if (seen.has(product.id) || input.unavailable?.has(product.id) || !productPasses(product, filter)) continue;
      seen.add(product.id);
      items.push({ product, score, source: candidate.source, reason: reason ?? null });
    }
    if (before === 0 && items.length > 0) modelVersion = list.modelVersion;
  }

  if (items.length < limit && input.catalogueFill) {
    try {
      const rows = await input.catalogueFill({
        limit: limit - items.length,
        categories: filter?.categories?.length ? filter.categories : null,
        minPrice: filter?.minPrice ?? null,
        maxPrice: filter?.maxPrice ?? null,
        excludeIds: [...seen],
      });
      for (const product of rows) items.push({ product, score: 0, source: 'POPULAR' });
    } catch (err) {
      degraded = true;
      firstError ??= err;
      logger.warn({ err }, 'catalogue fill unavailable');
    }
  }

  if (!items.length && firstError)
    throw new ServingUnavailableError(
      'recommendations are unavailable: PostgreSQL cannot be reached and nothing is cached for this request',
      firstError,
    );
  const primary = input.chain[0]?.source ?? 'POPULAR';
  return {
    items,
    source: items[0]?.source ?? primary,
    filled: items.some((i) => i.source !== primary),
    modelVersion,
    degraded,
    batchVersion: input.batchVersion,
  };
}
