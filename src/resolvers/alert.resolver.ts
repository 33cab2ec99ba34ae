// The Alert type: an alerts row with its id as a string and its time as ISO-8601.
import type { AlertResolvers } from './__generated__/resolvers-types';

export const Alert: AlertResolvers = {
  id: (a) => String(a.id),
  raisedAt: (a) => new Date(a.raisedAt).toISOString(),
};
