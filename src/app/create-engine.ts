import type { Config } from '../config/config';
import type { Database } from '../db/database';
import { LocalEngine } from '../engine/local/local-engine';
import type { TrainingEngine } from '../engine/training-engine';
import type { Logger } from '../infra/logger';

export function createEngine(config: Config, _deps: { db: Database; logger: Logger }): TrainingEngine {
  switch (config.engine.kind) {
    case 'local':
      return new LocalEngine(config.engine);
    case 'aws':
      throw new Error('ENGINE=aws is not available in this build');
  }
}
