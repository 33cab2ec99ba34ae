// The Mutation type: pipeline control (admin) through the PipelineService, cache invalidation
// (admin), and event ingestion (ingest).
import { badInput, notFound } from '../gateway/graphql-errors';
import { LIMITS, checkId, parseIntId } from '../gateway/input-limits';
import { cronProblem } from '../config/cron-expression';
import { RunAlreadyActiveError } from '../pipeline/pipeline-service';
import { isScheduleName, SCHEDULE_NAMES } from '../pipeline/schedules';
import type { MutationResolvers } from './__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  async triggerRetrain(_, args, ctx) {
    ctx.requireRole('admin');
    const { mode, recipes, syncFirst } = args.input;
    if (recipes) {
      if (!recipes.length || recipes.length > 10)
        throw badInput('recipes must list 1-10 recipes', { argument: 'recipes' });
      for (const r of recipes) checkId('recipes', r);
    }
    try {
      return await ctx.services.pipeline.startRun({
        mode: mode ?? 'FULL',
        recipes: recipes ?? undefined,
        syncFirst: syncFirst ?? false,
        trigger: 'api',
      });
    } catch (err) {
      if (err instanceof RunAlreadyActiveError) throw badInput(err.message, { activeRunId: String(err.activeRunId) });
      throw err;
    }
  },

  async cancelPipelineRun(_, args, ctx) {
    ctx.requireRole('admin');
    const id = parseIntId('id', args.id);
    if (!(await ctx.services.pipeline.getRun(id))) throw notFound(`no pipeline run with id ${args.id}`);
    return ctx.services.pipeline.cancelRun(id);
  },

  async setSchedule(_, args, ctx) {
    ctx.requireRole('admin');
    if (!isScheduleName(args.name))
      throw badInput(`name must be one of ${SCHEDULE_NAMES.join(', ')}`, { argument: 'name' });
    const cron = args.cron.trim();
    const problem = cron.length > 100 ? 'longer than 100 characters' : cronProblem(cron);
    if (problem) throw badInput(`cron is not a cron expression: ${problem}`, { argument: 'cron' });
    const saved = await ctx.services.pipeline.setSchedule(args.name, cron);
    const listed = (await ctx.services.pipeline.listSchedules()).find((s) => s.name === saved.name);
    return listed ?? { ...saved, enabled: true, next: null };
  },

  async invalidateCache(_, __, ctx) {
    ctx.requireRole('admin');
    ctx.services.responseCache.clear();
    const removed = await ctx.services.hot.invalidate(ctx.batchVersion);
    ctx.logger.info({ removed, batchVersion: ctx.batchVersion }, 'hot cache invalidated');
    return removed;
  },

  async recordEvents(_, args, ctx) {
    ctx.requireRole('ingest');
    if (!args.events.length) throw badInput('events must not be empty', { argument: 'events' });
    if (args.events.length > LIMITS.maxEvents) {
      throw badInput(`at most ${LIMITS.maxEvents} events per call (got ${args.events.length}); nothing was stored`, {
        argument: 'events',
      });
    }
    return ctx.services.events.record(args.events);
  },
};
