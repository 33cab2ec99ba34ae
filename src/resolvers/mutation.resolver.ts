// The Mutation type: pipeline control (admin) through the PipelineService, cache invalidation
// (admin), and event ingestion (ingest). Each answers a payload; input mistakes are its userErrors
// (user-errors.ts), auth refusals stay top-level errors.
import { LIMITS, checkId, parseIntId } from '../gateway/input-limits';
import { cronProblem } from '../config/cron-expression';
import { isScheduleName, SCHEDULE_NAMES } from '../pipeline/schedules';
import type { MutationResolvers } from './__generated__/resolvers-types';
import { experimentMutations } from './experiment-mutations';
import { userError, withUserErrors } from './user-errors';

export const Mutation: MutationResolvers = {
  ...experimentMutations,

  async triggerRetrain(_, args, ctx) {
    ctx.requireRole('admin');
    const { mode, recipes, syncFirst, retune, forceLoad } = args.input;
    if (recipes && (!recipes.length || recipes.length > 10))
      return { run: null, userErrors: [userError('INVALID', 'recipes must list 1-10 recipes', ['input', 'recipes'])] };
    if (retune && mode === 'UPDATE')
      return {
        run: null,
        userErrors: [
          userError('INVALID', 'retune needs a FULL run (an UPDATE run keeps the current parameters)', [
            'input',
            'retune',
          ]),
        ],
      };
    return withUserErrors(
      { run: null },
      async () => {
        for (const r of recipes ?? []) checkId('recipes', r);
        const run = await ctx.services.pipeline.startRun({
          mode: mode ?? 'FULL',
          recipes: recipes ?? undefined,
          syncFirst: syncFirst ?? false,
          retune: retune ?? false,
          forceLoad: forceLoad ?? false,
          trigger: 'api',
        });
        return { run };
      },
      ['input', 'recipes'],
    );
  },

  async cancelPipelineRun(_, args, ctx) {
    ctx.requireRole('admin');
    return withUserErrors(
      { run: null },
      async () => ({ run: await ctx.services.pipeline.cancelRun(parseIntId('id', args.id)) }),
      ['id'],
    );
  },

  async setSchedule(_, args, ctx) {
    ctx.requireRole('admin');
    if (!isScheduleName(args.name)) {
      const message = `name must be one of ${SCHEDULE_NAMES.join(', ')}`;
      return { schedule: null, userErrors: [userError('UNKNOWN_SCHEDULE', message, ['name'])] };
    }
    const cron = args.cron.trim();
    const problem = cron.length > 100 ? 'longer than 100 characters' : cronProblem(cron);
    if (problem) {
      const message = `cron is not a cron expression: ${problem}`;
      return { schedule: null, userErrors: [userError('INVALID_CRON', message, ['cron'])] };
    }
    const saved = await ctx.services.pipeline.setSchedule(args.name, cron);
    const listed = (await ctx.services.pipeline.listSchedules()).find((s) => s.name === saved.name);
    return { schedule: listed ?? { ...saved, enabled: true, next: null }, userErrors: [] };
  },

  async invalidateCache(_, __, ctx) {
    ctx.requireRole('admin');
    ctx.services.responseCache.clear();
    const removedKeys = await ctx.services.hot.invalidate(ctx.batchVersion);
    ctx.logger.info({ removed: removedKeys, batchVersion: ctx.batchVersion }, 'hot cache invalidated');
    return { removedKeys, userErrors: [] };
  },

  async replayWebhooks(_, args, ctx) {
    ctx.requireRole('admin');
    const nothing = { replayed: 0, webhookIds: [] };
    if (args.ids && (!args.ids.length || args.ids.length > 1000)) {
      const message = 'ids must list 1-1000 webhook ids (omit it to replay every failed one)';
      return { ...nothing, userErrors: [userError('INVALID', message, ['ids'])] };
    }
    return withUserErrors(nothing, async () => {
      for (const id of args.ids ?? []) checkId('ids', id);
      const webhookIds = await ctx.services.webhooks.replay(args.ids ?? null);
      return { replayed: webhookIds.length, webhookIds };
    });
  },

  async eraseCustomer(_, args, ctx) {
    ctx.requireRole('admin');
    return withUserErrors({ erased: false, removed: [] }, async () => {
      checkId('id', args.id);
      const counts: Record<string, number> = { ...(await ctx.services.eraseCustomer(args.id)) };
      const removed = Object.keys(counts).map((name) => ({ name, value: counts[name] ?? 0 }));
      return { erased: true, removed };
    });
  },

  async recordEvents(_, args, ctx) {
    ctx.requireRole('ingest');
    const nothing = { accepted: 0, duplicates: 0, rejected: [], forwarded: false };
    if (!args.events.length)
      return { ...nothing, userErrors: [userError('INVALID', 'events must not be empty', ['events'])] };
    if (args.events.length > LIMITS.maxEvents) {
      const message = `at most ${LIMITS.maxEvents} events per call (got ${args.events.length}); nothing was stored`;
      return { ...nothing, userErrors: [userError('INVALID', message, ['events'])] };
    }
    return { ...(await ctx.services.events.record(args.events)), userErrors: [] };
  },
};
