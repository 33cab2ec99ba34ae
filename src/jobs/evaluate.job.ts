// evaluate: offline metrics for the run's model versions.
import type { StageFn } from '../pipeline/stage-types';

export const evaluate: StageFn = async () => ({ status: 'skipped', reason: 'offline evaluation not wired yet' });
