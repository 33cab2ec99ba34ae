// How service values become schema fields: times as ISO-8601 strings, count maps as Count lists.
import type { Count } from '../schema/__generated__/schema-types';

export const iso = (d: Date | string | null | undefined): string | null =>
  d == null ? null : new Date(d).toISOString();

export const counts = (c: Record<string, number> | null | undefined): Count[] =>
  Object.entries(c ?? {})
    .filter(([, v]) => typeof v === 'number')
    .map(([name, value]) => ({ name, value }));
