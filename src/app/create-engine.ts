import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { TrainingEngine } from '../engine/training-engine';
import type { Logger } from '../infra/logger';

export function createEngine(config: Config, _deps: { db: Database; logger: Logger }): TrainingEngine {
  throw new Error(`ENGINE=${config.engine.kind} is not available in this build`);
}
