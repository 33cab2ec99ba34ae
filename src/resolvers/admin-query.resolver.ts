// Admin reads: batch jobs and pipeline runs as cursor connections, one run, and the system status.
import type { GatewayContext } from '../gateway/gateway-context';
import { notFound } from '../gateway/graphql-errors';
import { checkFirst, checkId, decodeCursor, encodeCursor, parseIntId } from '../gateway/input-limits';

function connection<T extends { id: number }>(rows: T[], first: number, kind: string) {
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(kind, node.id), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeCursor(kind, page[page.length - 1]!.id) : null },
  };
}

export const adminQueries = {
  async batchJobs(
    _: unknown,
    args: { first?: number | null; after?: string | null; status?: string | null; recipe?: string | null },
    ctx: GatewayContext,
  ) {
    ctx.requireRole('admin');
    const first = checkFirst(args.first);
    const afterId = decodeCursor('job', args.after);
    if (args.recipe != null) checkId('recipe', args.recipe);
    const rows = await ctx.services.admin.batchJobs({
      first: first + 1,
      afterId,
      status: args.status ?? undefined,
      recipe: args.recipe ?? undefined,
    });
    return connection(rows, first, 'job');
  },

  async pipelineRuns(_: unknown, args: { first?: number | null; after?: string | null }, ctx: GatewayContext) {
    ctx.requireRole('admin');
    const first = checkFirst(args.first);
    const afterId = decodeCursor('run', args.after);
    const runs = await ctx.services.pipeline.listRuns({ first: first + 1, afterId });
    return connection(runs, first, 'run');
  },

  async pipelineRun(_: unknown, args: { id: string }, ctx: GatewayContext) {
    ctx.requireRole('admin');
    const run = await ctx.services.pipeline.getRun(parseIntId('id', args.id));
    if (!run) throw notFound(`no pipeline run with id ${args.id}`);
    return run;
  },

  async systemStatus(_: unknown, __: unknown, ctx: GatewayContext) {
    ctx.requireRole('admin');
    const { admin, pipeline, config, hot } = ctx.services;
    const [coverage, lastRuns, activeAlerts, schedules, modelVersions] = await Promise.all([
      admin.coverage(),
      pipeline.listRuns({ first: 1 }),
      admin.activeAlerts(),
      pipeline.listSchedules(),
      admin.latestModelVersions(),
    ]);
    return {
      ...coverage,
      batchVersion: ctx.batchVersion,
      lastRun: lastRuns[0] ?? null,
      activeAlerts,
      schedules,
      engine: config.engine.kind,
      modelVersions,
      redisAvailable: hot.available,
    };
  },
};
