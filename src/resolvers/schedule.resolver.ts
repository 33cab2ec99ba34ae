// The Schedule type: the PipelineService's schedule view as it is (next is a Date or null), and the
// next fire times of its cron.
import { badInput } from '../gateway/graphql-errors';
import type { ScheduleResolvers } from './__generated__/resolvers-types';
import { cronNextFires } from './dashboard.resolver';

export const Schedule: ScheduleResolvers = {
  nextFires: (s, args) => {
    const { count } = args;
    if (!Number.isInteger(count) || count < 1 || count > 20)
      throw badInput('count must be 1-20', { argument: 'count' });
    return s.enabled ? cronNextFires(s.cron, count).nextFires : [];
  },
};
