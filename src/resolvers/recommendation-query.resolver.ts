// Query fields that serve recommendation lists. Each checks its inputs, asks the serving layer, and
// stamps the answer with a fresh recommendationId.
import type { GatewayContext } from '../gateway/gateway-context';
import { badInput } from '../gateway/graphql-errors';
import { LIMITS, checkFilter, checkId, checkIdList, checkLimit } from '../gateway/input-limits';
import type { BuiltList } from '../serving/list-builder';
import { UnknownProductsError } from '../serving/ranking-service';
import type { RecommendationFilterInput, RecommendationListView, SegmentView } from '../serving/serving-types';

type ListArgs = { limit?: number | null; filter?: RecommendationFilterInput | null };

export function toListView(ctx: GatewayContext, built: BuiltList): RecommendationListView {
  if (built.degraded) ctx.cacheable = false;
  const { recommendationId, generatedAt } = ctx.stamp();
  return {
    items: built.items.map((item, i) => ({ ...item, rank: i + 1 })),
    source: built.source,
    filled: built.filled,
    recommendationId,
    modelVersion: built.modelVersion,
    // The batch the list was read at: newer than ctx.batchVersion when a load landed meanwhile.
    batchVersion: built.batchVersion,
    generatedAt,
  };
}

export const recommendationQueries = {
  async recommendations(_: unknown, args: ListArgs & { userId: string }, ctx: GatewayContext) {
    ctx.requireRole('read');
    checkId('userId', args.userId);
    checkFilter(args.filter);
    const limit = checkLimit('limit', args.limit, 10);
    // Interactions change between batches: such answers are not reused.
    if (args.filter?.excludeInteracted) ctx.cacheable = false;
    return toListView(ctx, await ctx.services.recs.forUser('userRecommendations', args.userId, { limit, filter: args.filter }));
  },

  async similarItems(_: unknown, args: ListArgs & { productId: string }, ctx: GatewayContext) {
    ctx.requireRole('read');
    checkId('productId', args.productId);
    checkFilter(args.filter);
    if (args.filter?.excludeInteracted) throw badInput('filter.excludeInteracted needs a customer; similarItems has none', { argument: 'filter' });
    const limit = checkLimit('limit', args.limit, 10);
    return toListView(ctx, await ctx.services.recs.similar(args.productId, { limit, filter: args.filter }));
  },

  async itemAffinity(_: unknown, args: { userId: string; limit?: number | null }, ctx: GatewayContext) {
    ctx.requireRole('read');
    checkId('userId', args.userId);
    const limit = checkLimit('limit', args.limit, 10);
    return toListView(ctx, await ctx.services.recs.forUser('itemAffinity', args.userId, { limit }));
  },

  async usersForItem(_: unknown, args: { productId: string; limit?: number | null }, ctx: GatewayContext): Promise<SegmentView> {
    ctx.requireRole('read');
    checkId('productId', args.productId);
    const limit = checkLimit('limit', args.limit, 25);
    const segment = await ctx.services.recs.segment(args.productId);
    return {
      productId: args.productId,
      users: (segment?.users ?? []).slice(0, limit).map((u, i) => ({ ...u, rank: i + 1 })),
      modelVersion: segment?.modelVersion ?? null,
      batchVersion: segment?.batchVersion ?? ctx.batchVersion,
      generatedAt: ctx.stamps.generatedAt,
    };
  },

  async popularItems(_: unknown, args: { limit?: number | null; category?: string | null; province?: string | null }, ctx: GatewayContext) {
    ctx.requireRole('read');
    const limit = checkLimit('limit', args.limit, 10);
    if (args.category != null) checkId('category', args.category);
    if (args.province != null) checkId('province', args.province);
    return toListView(ctx, await ctx.services.recs.popularItems(limit, args.category ?? null, args.province ?? null));
  },

  async rankItems(_: unknown, args: { userId: string; productIds: string[] }, ctx: GatewayContext) {
    ctx.requireRole('read');
    checkId('userId', args.userId);
    checkIdList('productIds', args.productIds, LIMITS.maxRankIds);
    try {
      return toListView(ctx, await ctx.services.ranking.rank(args.userId, args.productIds));
    } catch (err) {
      if (err instanceof UnknownProductsError) throw badInput(err.message, { argument: 'productIds', productIds: err.productIds });
      throw err;
    }
  },
};
