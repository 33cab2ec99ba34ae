// warm-cache: fills the Redis hot layer for the customers who matter most.
import type { StageFn } from '../pipeline/stage-types';

export const warmCache: StageFn = async () => ({ status: 'skipped', reason: 'hot-layer pre-warm not wired yet' });
