// Names and ARNs of everything the project keeps in Personalize. Names derive from the dataset
// group name and the run id, so a rerun finds (and reuses) what an earlier attempt created.
import { createHash } from 'node:crypto';
import type { RecipeName } from '../engine/training-engine';

export type DatasetKind = 'interactions' | 'items' | 'users';
export const DATASET_KINDS: readonly DatasetKind[] = ['interactions', 'items', 'users'];
export const DATASET_TYPE: Record<DatasetKind, 'Interactions' | 'Items' | 'Users'> = {
  interactions: 'Interactions',
  items: 'Items',
  users: 'Users',
};

/** Personalize recipe ARNs; v2 variants of user-personalization and ranking are the default. */
export function recipeArn(recipe: RecipeName, useV2: boolean): string {
  const v2 = useV2 ? '-v2' : '';
  const names: Record<RecipeName, string> = {
    'user-personalization': `aws-user-personalization${v2}`,
    'personalized-ranking': `aws-personalized-ranking${v2}`,
    'similar-items': 'aws-similar-items',
    'popularity-count': 'aws-popularity-count',
    'item-affinity': 'aws-item-affinity',
  };
  return `arn:aws:personalize:::recipe/${names[recipe]}`;
}

/** trainingMode UPDATE exists only for (v1) aws-user-personalization; everything else trains FULL. */
export function trainingModeFor(recipeArnValue: string, mode: 'FULL' | 'UPDATE'): 'FULL' | 'UPDATE' {
  return mode === 'UPDATE' && recipeArnValue.endsWith('/aws-user-personalization') ? 'UPDATE' : 'FULL';
}

/** Personalize names: at most 63 characters of [a-zA-Z0-9_-]; long ones keep a hash suffix. */
export function personalizeName(...parts: (string | number)[]): string {
  const raw = parts.join('-').replace(/[^a-zA-Z0-9_-]/g, '-');
  if (raw.length <= 63) return raw;
  const hash = createHash('sha1').update(raw).digest('hex').slice(0, 8);
  return `${raw.slice(0, 54)}-${hash}`;
}

export const names = {
  schema: (group: string, kind: DatasetKind) => personalizeName(group, kind, 'schema'),
  dataset: (group: string, kind: DatasetKind) => personalizeName(group, kind),
  eventTracker: (group: string) => personalizeName(group, 'tracker'),
  excludePurchasedFilter: (group: string) => personalizeName(group, 'exclude-purchased'),
  solution: (group: string, recipe: RecipeName) => personalizeName(group, recipe),
  importJob: (group: string, runId: number, kind: DatasetKind) => personalizeName(group, `r${runId}`, 'import', kind),
  trainJob: (group: string, runId: number, recipe: RecipeName) => personalizeName(group, `r${runId}`, 'train', recipe),
  batchJob: (group: string, runId: number, recipe: RecipeName) => personalizeName(group, `r${runId}`, 'batch', recipe),
};
