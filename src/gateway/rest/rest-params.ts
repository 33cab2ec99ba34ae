// Query parameters of the old REST endpoints, read into the GraphQL API's own filter and limit,
// then checked by the same input checks (src/gateway/input-limits.ts), so both APIs accept and
// refuse exactly the same requests.
import type { Request } from 'express';
import type { RecommendationFilter } from '../../schema/__generated__/schema-types';
import { badInput } from '../graphql-errors';
import { checkFilter, checkId, checkLimit } from '../input-limits';

/** numResults of the old system: a list holds 25 items unless `limit` says otherwise. */
export const REST_DEFAULT_LIMIT = 25;

type Query = Request['query'];

/** One value of a parameter; a parameter given twice is refused (except the list ones). */
function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badInput(`${name} must be given once`, { argument: name });
  return v;
}

/** A list parameter: comma-separated, repeated, or both (`categories=a,b&categories=c`). */
function list(query: Query, name: string): string[] | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((p) => (typeof p === 'string' ? p.split(',') : [null]));
  if (parts.some((p) => p === null)) throw badInput(`${name} must be a comma-separated list`, { argument: name });
  return (parts as string[]).map((p) => p.trim()).filter(Boolean);
}

function number(query: Query, name: string): number | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n)) throw badInput(`${name} must be a number (got "${v.slice(0, 40)}")`, { argument: name });
  return n;
}

function boolean(query: Query, name: string): boolean | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw badInput(`${name} must be true or false (got "${v.slice(0, 40)}")`, { argument: name });
}

export function restLimit(query: Query): number {
  return checkLimit('limit', number(query, 'limit'), REST_DEFAULT_LIMIT);
}

/** The filter parameters as a RecommendationFilter, checked like GraphQL's `filter` argument. */
export function restFilter(query: Query, allowExcludeInteracted: boolean): RecommendationFilter | null {
  const filter: RecommendationFilter = {
    excludeInteracted: boolean(query, 'exclude_interacted'),
    categories: list(query, 'categories'),
    minPrice: number(query, 'min_price'),
    maxPrice: number(query, 'max_price'),
    excludeProductIds: list(query, 'exclude_product_ids'),
  };
  if (filter.excludeInteracted && !allowExcludeInteracted)
    throw badInput('exclude_interacted needs a customer; similar-items has none', { argument: 'exclude_interacted' });
  checkFilter(filter);
  const given = [
    filter.excludeInteracted,
    filter.categories,
    filter.minPrice,
    filter.maxPrice,
    filter.excludeProductIds,
  ];
  return given.some((v) => v !== undefined) ? filter : null;
}

export function restId(name: string, value: string | string[] | undefined): string {
  if (typeof value !== 'string') throw badInput(`${name} is required`, { argument: name });
  return checkId(name, value);
}
