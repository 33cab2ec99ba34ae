// The Customer type: a customer row; order figures from one stats query per customer, and whether
// the current batch holds recommendations for them.
import type { GatewayContext } from '../gateway/gateway-context';
import type { CustomerRow, CustomerStats } from '../serving/catalog-repository';
import { checkLimit } from '../gateway/input-limits';
import type { CustomerResolvers } from './__generated__/resolvers-types';

/** One stats query per customer, shared by orderCount and totalSpend. */
const statsOf = new WeakMap<CustomerRow, Promise<CustomerStats>>();

function customerStats(c: CustomerRow, ctx: GatewayContext): Promise<CustomerStats> {
  let stats = statsOf.get(c);
  if (!stats) {
    stats = ctx.services.catalog.customerStats(c.id);
    statsOf.set(c, stats);
  }
  return stats;
}

export const Customer: CustomerResolvers = {
  async orderCount(c, _, ctx) {
    return (await customerStats(c, ctx)).orderCount;
  },
  async totalSpend(c, _, ctx) {
    return (await customerStats(c, ctx)).totalSpend;
  },
  orders(c, args, ctx) {
    ctx.requireKey();
    return ctx.services.dashboard.customerOrders(c.id, checkLimit('first', args.first, 20));
  },
  events(c, args, ctx) {
    ctx.requireKey();
    return ctx.services.dashboard.customerEvents(c.id, checkLimit('first', args.first, 20));
  },
  async hasRecommendations(c, _, ctx) {
    return (await ctx.services.recs.cachedList('userRecommendations', c.id)) !== null;
  },
};
