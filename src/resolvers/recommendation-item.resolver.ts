// The RecommendationItem type: a built list's item; its reason is mapped in src/serving/item-reason.ts
// (the one mapping the REST responses use too), naming history products through the loader.
import { itemReason, reasonProductIds } from '../serving/item-reason';
import type { RecommendationItemResolvers } from './__generated__/resolvers-types';

export const RecommendationItem: RecommendationItemResolvers = {
  async reason(item, _, ctx) {
    const ids = reasonProductIds(item.reason);
    const rows = await ctx.loaders.product.loadMany(ids);
    const products = new Map(ids.map((id, n) => [id, rows[n] instanceof Error ? null : (rows[n] ?? null)]));
    return itemReason(item, products);
  },
};
