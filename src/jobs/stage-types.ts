// The shape every stage function shares. Stage functions (src/jobs/) are plain async functions:
// they know nothing of BullMQ, so each one runs and tests without Redis queues.
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { RecipeName, RunLayout, TrainingEngine } from '../engine/training-engine';
import type { Logger } from '../infra/logger';
import type { ObjectStore } from '../storage/object-store';
import type { PipelineRunView } from '../pipeline/pipeline-service';

export interface StageDeps {
  config: Config;
  db: Database;
  store: ObjectStore;
  engine: TrainingEngine;
  redis: Redis;
  logger: Logger;
}

export interface StageInput {
  run: PipelineRunView;
  recipes: RecipeName[];
  layout: RunLayout;
  /** Present when this call is a delayed re-check of long external work. */
  poll?: { attempt: number; state: Record<string, unknown> };
  progress: (percent: number, message: string) => Promise<void>;
}

export type StageOutcome =
  | { status: 'done'; counts: Record<string, number>; message?: string }
  | { status: 'skipped'; reason: string }
  | { status: 'waiting'; recheckAfterMs: number; state: Record<string, unknown>; message: string };

export type StageFn = (deps: StageDeps, input: StageInput) => Promise<StageOutcome>;
