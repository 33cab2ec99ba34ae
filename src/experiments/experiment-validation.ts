// Checks a new experiment before it is stored: 2-5 variants whose shares add up to 100, unique
// URL-safe keys, a control among them, known surfaces, sane strategies. Every problem names its field.
import { ExperimentError } from './experiment-errors';
import { SURFACES, type NewExperiment, type Strategy } from './experiment-types';

export const VARIANT_KEY = /^[a-z0-9_]{1,20}$/;
const MAX_NAME = 200;

function fail(message: string, ...field: (string | number)[]): never {
  throw new ExperimentError('INVALID', message, field.map(String));
}

function checkStrategy(s: Strategy, at: number, surfaces: readonly string[]): void {
  if (s.kind === 'BATCH' && s.modelVersion != null) {
    if (!Number.isInteger(s.modelVersion) || s.modelVersion < 1)
      fail('modelVersion must be a model version id', 'variants', at, 'strategy', 'modelVersion');
    // rankItems ranks with the in-process model, not with batch lists: a pinned batch cannot serve it.
    if (surfaces.includes('RANK_ITEMS'))
      fail(
        'a variant pinned to a model version cannot cover RANK_ITEMS (rankItems ranks with the live model)',
        'variants',
        at,
        'strategy',
        'modelVersion',
      );
  }
  if (s.kind !== 'FILTER') return;
  const f = s.filter;
  if (f.minPrice != null && !(Number.isFinite(f.minPrice) && f.minPrice >= 0))
    fail('minPrice must be a number >= 0', 'variants', at, 'strategy', 'filter', 'minPrice');
  if (f.maxPrice != null && !(Number.isFinite(f.maxPrice) && f.maxPrice >= 0))
    fail('maxPrice must be a number >= 0', 'variants', at, 'strategy', 'filter', 'maxPrice');
  if (f.categories && (f.categories.length === 0 || f.categories.length > 50))
    fail('categories must list 1-50 categories', 'variants', at, 'strategy', 'filter', 'categories');
  if (!f.excludeInteracted && f.minPrice == null && f.maxPrice == null && !f.categories?.length)
    fail('a FILTER strategy needs at least one filter field', 'variants', at, 'strategy', 'filter');
}

export function validateNewExperiment(x: NewExperiment): void {
  const name = x.name.trim();
  if (!name || name.length > MAX_NAME) fail(`name must be 1-${MAX_NAME} characters`, 'name');
  if (!x.surfaces.length) fail('surfaces must list at least one surface', 'surfaces');
  for (const s of x.surfaces)
    if (!SURFACES.includes(s)) fail(`unknown surface ${s}; one of ${SURFACES.join(', ')}`, 'surfaces');
  if (new Set(x.surfaces).size !== x.surfaces.length) fail('surfaces must not repeat', 'surfaces');
  if (x.variants.length < 2 || x.variants.length > 5) fail('an experiment has 2-5 variants', 'variants');
  const keys = new Set<string>();
  let total = 0;
  x.variants.forEach((v, i) => {
    if (!VARIANT_KEY.test(v.key)) fail('key must be 1-20 of a-z, 0-9, _', 'variants', i, 'key');
    if (keys.has(v.key)) fail(`variant key ${v.key} repeats`, 'variants', i, 'key');
    keys.add(v.key);
    if (!v.name.trim() || v.name.length > 100) fail('name must be 1-100 characters', 'variants', i, 'name');
    if (!Number.isInteger(v.share) || v.share < 1 || v.share > 99)
      fail('share must be a whole percent, 1-99', 'variants', i, 'share');
    total += v.share;
    checkStrategy(v.strategy, i, x.surfaces);
  });
  if (total !== 100) fail(`the variants' shares add up to ${total}, not 100`, 'variants');
  if (!keys.has(x.controlKey)) fail(`controlKey ${x.controlKey} is not one of the variants' keys`, 'controlKey');
  const w = x.attributionWindowDays;
  if (w != null && (!Number.isInteger(w) || w < 1 || w > 90))
    fail('attributionWindowDays must be a whole number of days, 1-90', 'attributionWindowDays');
  const p = x.plannedCustomersPerVariant;
  if (p != null && (!Number.isInteger(p) || p < 100 || p > 100_000_000))
    fail('plannedCustomersPerVariant must be a whole number, 100-100000000', 'plannedCustomersPerVariant');
}
