// Bounds on what one request may ask for. Each check throws BAD_USER_INPUT naming the argument.
import { badInput } from './graphql-errors';
import type { RecommendationFilter } from '../schema/__generated__/schema-types';

export const LIMITS = {
  maxLimit: 100,
  maxIdLength: 255,
  maxRankIds: 100,
  maxExcludeIds: 500,
  maxCategories: 50,
  maxEvents: 1_000,
  maxBodyBytes: 1_048_576,
  maxDepth: 10,
  maxCost: 5_000,
  maxTokens: 5_000,
} as const;

export function checkLimit(name: string, value: number | null | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > LIMITS.maxLimit) {
    throw badInput(`${name} must be between 1 and ${LIMITS.maxLimit} (got ${v})`, { argument: name });
  }
  return v;
}

export function checkId(name: string, value: string): string {
  if (!value.length || value.length > LIMITS.maxIdLength) {
    throw badInput(`${name} must be 1-${LIMITS.maxIdLength} characters long`, { argument: name });
  }
  return value;
}

function checkList(name: string, values: readonly string[] | null | undefined, max: number): void {
  if (!values) return;
  if (values.length > max)
    throw badInput(`${name} may hold at most ${max} entries (got ${values.length})`, { argument: name });
  for (const v of values) checkId(name, v);
}

export function checkFilter(filter: RecommendationFilter | null | undefined): void {
  if (!filter) return;
  checkList('filter.categories', filter.categories, LIMITS.maxCategories);
  checkList('filter.excludeProductIds', filter.excludeProductIds, LIMITS.maxExcludeIds);
  for (const [name, v] of [
    ['filter.minPrice', filter.minPrice],
    ['filter.maxPrice', filter.maxPrice],
  ] as const) {
    if (v != null && (!Number.isFinite(v) || v < 0))
      throw badInput(`${name} must be a number >= 0`, { argument: name });
  }
  if (filter.minPrice != null && filter.maxPrice != null && filter.minPrice > filter.maxPrice) {
    throw badInput('filter.minPrice must not exceed filter.maxPrice', { argument: 'filter' });
  }
}

export function checkIdList(name: string, values: readonly string[], max: number): void {
  if (!values.length) throw badInput(`${name} must not be empty`, { argument: name });
  checkList(name, values, max);
}

/** Positive integer ids (pipeline runs, batch jobs). */
export function parseIntId(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw badInput(`${name} must be a positive integer id`, { argument: name });
  return Number(value);
}

export function encodeCursor(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | null | undefined): number | undefined {
  if (cursor == null) return undefined;
  const text = cursor.length <= 64 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = new RegExp(`^${kind}:(\\d{1,9})$`).exec(text);
  if (!match) throw badInput(`after is not a ${kind} cursor from this API`, { argument: 'after' });
  return Number(match[1]);
}

export function checkFirst(first: number | null | undefined): number {
  return checkLimit('first', first, 20);
}
