// The Alert type: an alerts row with its id as a string.
import type { AlertResolvers } from './__generated__/resolvers-types';

export const Alert: AlertResolvers = {
  id: (a) => String(a.id),
};
