// The Schedule type: the PipelineService's schedule view, the next firing as ISO-8601.
import type { ScheduleResolvers } from './__generated__/resolvers-types';
import { iso } from './field-formats';

export const Schedule: ScheduleResolvers = {
  next: (s) => iso(s.next),
};
