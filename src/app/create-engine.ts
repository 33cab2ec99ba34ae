import type { Config } from '../config/config';
import type { Database } from '../db/database';
import { createAwsPersonalizeEngine } from '../aws/aws-personalize-engine';
import { JobMetadata } from '../engine/job-metadata';
import { LocalEngine } from '../engine/local/local-engine';
import type { TrainingEngine } from '../engine/training-engine';
import type { Logger } from '../infra/logger';

export function createEngine(config: Config, deps: { db: Database; logger: Logger }): TrainingEngine {
  switch (config.engine.kind) {
    case 'local':
      return new LocalEngine(config.engine, {}, new JobMetadata(deps.db));
    case 'aws':
      return createAwsPersonalizeEngine(config, deps.db);
  }
}
