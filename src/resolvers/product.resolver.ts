// The Product type: a catalogue row; the sales figures come from one batched stats query per request.
import type { ProductResolvers } from './__generated__/resolvers-types';

export const Product: ProductResolvers = {
  async orderCount(p, _, ctx) {
    return (await ctx.loaders.productStats.load(p.id)).orderCount;
  },
  async unitsSold(p, _, ctx) {
    return (await ctx.loaders.productStats.load(p.id)).unitsSold;
  },
  async revenue(p, _, ctx) {
    return (await ctx.loaders.productStats.load(p.id)).revenue;
  },
  popularity(p, _, ctx) {
    return ctx.services.dashboard.productPopularity(p.id);
  },
};
