// The Query type. Each field checks its inputs and asks one service from the context; list answers
// are stamped with a fresh recommendationId.
import type { GatewayContext } from '../gateway/gateway-context';
import { badInput } from '../gateway/graphql-errors';
import {
  LIMITS,
  checkFilter,
  checkFirst,
  checkId,
  checkIdList,
  checkLimit,
  decodeCursor,
  encodeCursor,
  parseIntId,
} from '../gateway/input-limits';
import type { ServedList } from '../serving/experiment-lists';
import type { BuiltList } from '../serving/list-builder';
import { UnknownProductsError } from '../serving/ranking-service';
import { POPULAR_LISTS_TAG, similarItemsTag } from '../serving/new-products';
import { subjectsOf } from '../serving/recent-activity';
import type { QueryResolvers, ResolversParentTypes } from './__generated__/resolvers-types';

const plain = (built: BuiltList): ServedList => ({ built, assignment: null, exposure: null });

export function toListView(ctx: GatewayContext, served: ServedList): ResolversParentTypes['RecommendationList'] {
  const { built, assignment } = served;
  if (built.degraded) ctx.cacheable = false;
  if (built.degraded) ctx.outcome.degraded = true;
  if (built.activity) {
    // A copy is served only while its subjects' activity versions are these (any gateway's event changes them).
    const { subjects, versions, reuseForMs } = built.activity;
    ctx.stamps.activity.push({ subjects, versions });
    if (reuseForMs !== null) ctx.stamps.reuseUntil = Math.min(ctx.stamps.reuseUntil, Date.now() + reuseForMs);
  }
  // Popular lists change when a product added since the batch sells (new-products.ts).
  if (built.items.some((i) => i.source.startsWith('POPULAR'))) ctx.stamps.subjects.push(POPULAR_LISTS_TAG);
  const { recommendationId, generatedAt } = ctx.stamp(assignment?.idPrefix, served.exposure);
  return {
    experiment: assignment
      ? {
          experimentId: String(assignment.experimentId),
          variant: assignment.variant.key,
          measured: assignment.measured,
        }
      : null,
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

/** A Relay connection page from `first + 1` rows read after the `after` cursor (if any). */
function connection<T extends { id: number }>(rows: T[], first: number, kind: string, after: number | undefined) {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(kind, node.id), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      // Paging is forward only and newest first: a page read after a cursor has that cursor's row before it.
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export const Query: QueryResolvers = {
  async recommendations(_, args, ctx) {
    ctx.requireRole('read');
    const userId = args.userId ?? null;
    const sessionId = args.sessionId ?? null;
    if (userId === null && sessionId === null)
      throw badInput('recommendations needs a userId or a sessionId', { argument: 'userId' });
    if (userId !== null) checkId('userId', userId);
    if (sessionId !== null) checkId('sessionId', sessionId);
    if (args.filter?.excludeInteracted && userId === null)
      throw badInput('filter.excludeInteracted needs a customer (userId)', { argument: 'filter' });
    checkFilter(args.filter);
    const limit = checkLimit('limit', args.limit, 10);
    // Comparing lists with and without it shows what the customer bought: customer data.
    if (args.filter?.excludeInteracted) ctx.requireCustomerDataAccess();
    // Interactions change between batches: such answers are not reused.
    if (args.filter?.excludeInteracted) ctx.cacheable = false;
    const { recs, experimentLists } = ctx.services;
    // A cached answer about these subjects is dropped when one of their events arrives (any gateway).
    ctx.stamps.subjects.push(...subjectsOf(userId, sessionId));
    return toListView(
      ctx,
      await experimentLists.serve('RECOMMENDATIONS', userId ?? sessionId, { limit, filter: args.filter }, (req) =>
        recs.forUser('userRecommendations', userId, req, sessionId),
      ),
    );
  },

  async similarItems(_, args, ctx) {
    ctx.requireRole('read');
    checkId('productId', args.productId);
    checkFilter(args.filter);
    if (args.filter?.excludeInteracted)
      throw badInput('filter.excludeInteracted needs a customer; similarItems has none', { argument: 'filter' });
    const limit = checkLimit('limit', args.limit, 10);
    if (args.userId != null) checkId('userId', args.userId);
    if (args.sessionId != null) checkId('sessionId', args.sessionId);
    const { recs, experimentLists } = ctx.services;
    const subject = args.userId ?? args.sessionId;
    // Dropped when a product added since the batch joins (or leaves) this product's neighbours.
    ctx.stamps.subjects.push(similarItemsTag(args.productId));
    return toListView(
      ctx,
      await experimentLists.serve('SIMILAR_ITEMS', subject, { limit, filter: args.filter }, (req) =>
        recs.similar(args.productId, req),
      ),
    );
  },

  async itemAffinity(_, args, ctx) {
    ctx.requireRole('read');
    checkId('userId', args.userId);
    const limit = checkLimit('limit', args.limit, 10);
    return toListView(ctx, plain(await ctx.services.recs.forUser('itemAffinity', args.userId, { limit })));
  },

  async usersForItem(_, args, ctx) {
    ctx.requireRole('read');
    ctx.requireCustomerDataAccess();
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

  async popularItems(_, args, ctx) {
    ctx.requireRole('read');
    const limit = checkLimit('limit', args.limit, 10);
    if (args.category != null) checkId('category', args.category);
    if (args.province != null) checkId('province', args.province);
    return toListView(
      ctx,
      plain(await ctx.services.recs.popularItems(limit, args.category ?? null, args.province ?? null)),
    );
  },

  async rankItems(_, args, ctx) {
    ctx.requireRole('read');
    checkId('userId', args.userId);
    checkIdList('productIds', args.productIds, LIMITS.maxRankIds);
    try {
      const { ranking, experimentLists } = ctx.services;
      // The caller's list is the request: a POPULAR variant orders it by popularity, a HOLDOUT answers none.
      const served = await experimentLists.serve(
        'RANK_ITEMS',
        args.userId,
        { limit: args.productIds.length },
        () => ranking.rank(args.userId, args.productIds),
        () => ranking.byPopularity(args.productIds),
      );
      // A ranking model's answer is not batch data: a newer model may load within the batch.
      if (served.built.source === 'PERSONALIZED_RANKING') ctx.cacheable = false;
      return toListView(ctx, served);
    } catch (err) {
      if (err instanceof UnknownProductsError)
        throw badInput(err.message, { argument: 'productIds', productIds: err.productIds });
      throw err;
    }
  },

  async product(_, args, ctx) {
    ctx.requireRole('read');
    checkId('id', args.id);
    return ctx.loaders.product.load(args.id);
  },

  async customer(_, args, ctx) {
    ctx.requireRole('read');
    ctx.requireCustomerDataAccess();
    checkId('id', args.id);
    return ctx.services.catalog.customer(args.id);
  },

  async batchJobs(_, args, ctx) {
    ctx.requireKey();
    const first = checkFirst(args.first);
    const afterId = decodeCursor('job', args.after);
    if (args.recipe != null) checkId('recipe', args.recipe);
    const rows = await ctx.services.admin.batchJobs({
      first: first + 1,
      afterId,
      status: args.status ?? undefined,
      recipe: args.recipe ?? undefined,
    });
    return connection(rows, first, 'job', afterId);
  },

  async pipelineRuns(_, args, ctx) {
    ctx.requireKey();
    const first = checkFirst(args.first);
    const afterId = decodeCursor('run', args.after);
    const runs = await ctx.services.pipeline.listRuns({ first: first + 1, afterId });
    return connection(runs, first, 'run', afterId);
  },

  async pipelineRun(_, args, ctx) {
    ctx.requireKey();
    return ctx.services.pipeline.getRun(parseIntId('id', args.id));
  },

  // Seen with any key (the dashboard's read key shows them); every change needs admin.
  async experiments(_, args, ctx) {
    ctx.requireKey();
    const first = checkFirst(args.first);
    return ctx.services.experiments.store.list({ status: args.status ?? undefined, first });
  },

  async experiment(_, args, ctx) {
    ctx.requireKey();
    return ctx.services.experiments.store.get(parseIntId('id', args.id));
  },

  async systemStatus(_, __, ctx) {
    ctx.requireKey();
    const { admin, pipeline, config, hot } = ctx.services;
    const [coverage, lastRuns, activeAlerts, schedules, modelVersions, webhooks] = await Promise.all([
      admin.coverage(ctx.batchVersion),
      pipeline.listRuns({ first: 1 }),
      admin.activeAlerts(),
      pipeline.listSchedules(),
      admin.latestModelVersions(),
      ctx.services.webhooks.counts(),
    ]);
    return {
      ...coverage,
      batchVersion: ctx.batchVersion,
      lastRun: lastRuns[0] ?? null,
      activeAlerts,
      schedules,
      engine: config.engine.kind,
      recipes: config.engine.recipes,
      modelVersions,
      redisAvailable: hot.available,
      webhooks,
    };
  },
};
