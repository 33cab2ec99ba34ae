// The Schedule type: the PipelineService's schedule view as it is (next is a Date or null).
import type { ScheduleResolvers } from './__generated__/resolvers-types';

export const Schedule: ScheduleResolvers = {};
