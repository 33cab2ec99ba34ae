// Names and ARNs of everything the project keeps in Personalize. Names derive from the dataset
// group name and the run id, so a rerun finds (and reuses) what an earlier attempt created.
import { boundedName, jobName } from '../engine/job-metadata';
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

export const names = {
  schema: (group: string, kind: DatasetKind) => boundedName(group, kind, 'schema'),
  dataset: (group: string, kind: DatasetKind) => boundedName(group, kind),
  eventTracker: (group: string) => boundedName(group, 'tracker'),
  excludePurchasedFilter: (group: string) => boundedName(group, 'exclude-purchased'),
  solution: (group: string, recipe: RecipeName) => boundedName(group, recipe),
  importJob: (group: string, runId: number, kind: DatasetKind) => jobName(group, runId, 'import', kind),
  trainJob: (group: string, runId: number, recipe: RecipeName) => jobName(group, runId, 'train', recipe),
  batchJob: (group: string, runId: number, recipe: RecipeName) => jobName(group, runId, 'batch', recipe),
};
