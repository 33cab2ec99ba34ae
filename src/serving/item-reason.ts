// Why a recommended item is there, in one place for every API (GraphQL RecommendationItem.reason
// and the REST responses): the batch's own reason when the engine wrote one ("because you bought
// X and Y", "often bought with X (12 customers bought both)"), otherwise what the item's source says (popular in your province, trending now, often
// bought with this product, ...). Product names come from the caller's lookup.
import type { ProductRow, RecommendationSource, StoredReason } from '../results';

export type ReasonKind =
  | 'HISTORY'
  | 'POPULAR_IN_PROVINCE'
  | 'POPULAR_IN_CATEGORY'
  | 'TRENDING'
  | 'BOUGHT_TOGETHER'
  | 'PERSONALIZED'
  | 'RECENT_ACTIVITY'
  | 'SAME_CATEGORY'
  | 'NEW_PRODUCT';

export interface ItemReasonView {
  kind: ReasonKind;
  /** The products the reason names (the customer's history products for HISTORY). */
  productIds: string[];
  text: string;
  /** BOUGHT_TOGETHER from the built-in engine: the customers who had both products; else null. */
  count: number | null;
}

const FIXED: Record<RecommendationSource, Omit<ItemReasonView, 'productIds' | 'count'>> = {
  PERSONALIZED: { kind: 'PERSONALIZED', text: 'Recommended for you' },
  PERSONALIZED_RANKING: { kind: 'PERSONALIZED', text: 'Ranked for you' },
  CACHED_SCORES: { kind: 'PERSONALIZED', text: 'Ranked for you' },
  ITEM_AFFINITY: { kind: 'PERSONALIZED', text: 'Matches what you buy' },
  SIMILAR_ITEMS: { kind: 'BOUGHT_TOGETHER', text: 'Often bought with this product' },
  POPULAR: { kind: 'TRENDING', text: 'Trending now' },
  POPULAR_IN_PROVINCE: { kind: 'POPULAR_IN_PROVINCE', text: 'Popular in your province' },
  POPULAR_IN_CATEGORY: { kind: 'POPULAR_IN_CATEGORY', text: 'Popular in this category' },
  REALTIME: { kind: 'RECENT_ACTIVITY', text: 'Related to what you just looked at' },
  CATEGORY_NEIGHBOURS: { kind: 'SAME_CATEGORY', text: 'Same category, similar price' },
};

/** What the shopper did, as the reason's text says it. */
const DID: Record<string, string> = { view: 'viewed', cart: 'added to your cart', purchase: 'bought' };

function names(ids: string[], products: Map<string, ProductRow | null>): string {
  const shown = ids.map((id) => products.get(id)?.name ?? id);
  const last = shown.pop() ?? '';
  return shown.length ? `${shown.join(', ')} and ${last}` : last;
}

/** The ids a reason needs looked up (to name them in its text). */
export function reasonProductIds(reason: StoredReason | null | undefined): string[] {
  return reason?.kind === 'history' || reason?.kind === 'bought-with' || reason?.kind === 'recent-activity'
    ? reason.productIds
    : [];
}

const customers = (n: number) => `${n} ${n === 1 ? 'customer' : 'customers'}`;

export function itemReason(
  item: { source: RecommendationSource; reason?: StoredReason | null },
  products: Map<string, ProductRow | null>,
): ItemReasonView {
  const r = item.reason;
  const fixed = (kind: ReasonKind, text: string): ItemReasonView => ({ kind, productIds: [], text, count: null });
  if (r?.kind === 'history' && r.productIds.length)
    return {
      kind: 'HISTORY',
      productIds: r.productIds,
      text: `Because you bought ${names(r.productIds, products)}`,
      count: null,
    };
  if (r?.kind === 'bought-with' && r.productIds.length) {
    const count = r.count ?? null;
    const both = count ? ` (${customers(count)} bought both)` : '';
    return {
      kind: 'BOUGHT_TOGETHER',
      productIds: r.productIds,
      text: `Often bought with ${names(r.productIds, products)}${both}`,
      count,
    };
  }
  if (r?.kind === 'recent-activity' && r.productIds.length)
    return {
      kind: 'RECENT_ACTIVITY',
      productIds: r.productIds,
      text: `Because you ${DID[r.eventType ?? 'view'] ?? 'looked at'} ${names(r.productIds, products)} just now`,
      count: null,
    };
  if (r?.kind === 'new-product') return fixed('NEW_PRODUCT', 'New: same category, similar price');
  if (r?.kind === 'popular-in-province') return fixed('POPULAR_IN_PROVINCE', FIXED.POPULAR_IN_PROVINCE.text);
  if (r?.kind === 'popular-in-category') return fixed('POPULAR_IN_CATEGORY', FIXED.POPULAR_IN_CATEGORY.text);
  if (r?.kind === 'trending') return fixed('TRENDING', FIXED.POPULAR.text);
  return { ...FIXED[item.source], productIds: [], count: null };
}
