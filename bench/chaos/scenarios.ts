// Every chaos scenario, in the order the table prints them. Add a scenario here (one import, one
// entry); the runner knows nothing else about them.
import type { ChaosScenario } from './chaos-scenario';
import { badBatch } from './scenarios/bad-batch';
import { hostileFiles } from './scenarios/hostile-files';
import { redisDownAtStart } from './scenarios/redis-down-at-start';
import { redisRestartAfterStage } from './scenarios/redis-restart-after-stage';
import { webhooks64BitIds, webhooksFailingThenRetry, webhooksRedisDown } from './scenarios/shopify-webhooks';
import { workerKilledInTrain } from './scenarios/worker-killed-in-train';

export const SCENARIOS: readonly ChaosScenario[] = [
  workerKilledInTrain,
  redisRestartAfterStage,
  redisDownAtStart,
  webhooksRedisDown,
  webhooks64BitIds,
  webhooksFailingThenRetry,
  badBatch,
  hostileFiles,
];
