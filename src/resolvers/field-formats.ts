// How service values become schema fields: count maps as Count lists (times are the DateTime scalar's).
import type { Count } from '../schema/__generated__/schema-types';

export const counts = (c: Record<string, number> | null | undefined): Count[] =>
  Object.entries(c ?? {})
    .filter(([, v]) => typeof v === 'number')
    .map(([name, value]) => ({ name, value }));
