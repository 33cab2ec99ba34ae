// The Subscription type (served over graphql-ws only: src/gateway/subscription-server.ts).
import { parseIntId } from '../gateway/input-limits';
import type { PipelineRunView } from '../pipeline/pipeline-service';
import type { SubscriptionResolvers } from './__generated__/resolvers-types';

export const Subscription: SubscriptionResolvers = {
  runProgress: {
    subscribe(_, args, ctx) {
      // The same rule as the pipelineRun query: the store's own people, not anonymous callers.
      ctx.requireKey();
      return ctx.services.watchRun(parseIntId('id', args.id));
    },
    resolve: (run: PipelineRunView | null) => run,
  },
};
