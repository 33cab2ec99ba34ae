// Batch inference on Personalize: writes each recipe's input, starts a batch inference job (or the
// batch segment job for item-affinity) per recipe, never more than PERSONALIZE_MAX_BATCH_JOBS at
// once across all runs, re-checks until each ends, and gathers the outputs where the loader reads.
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
} from '@aws-sdk/client-personalize';
import type { BatchInferResult, BatchOutput, EngineContext, RecipeName, StepResult } from '../engine/training-engine';
import { awsErrorName, callAws } from '../aws-sdk/aws-call';
import { requireDatasetGroup, requireS3, requireTrainedVersion, type AwsRuntime } from './aws-engine-deps';
import { AwsEngineError } from '../aws-sdk/aws-engine-error';
import { writeAffinityUsers } from './affinity-users';
import { batchKindOf, batchPaths, collectBatchOutput, writeBatchInput, type BatchKind } from './batch-files';
import { recordRunCost } from './run-cost';
import { normalizeStatus } from './personalize-status';
import { names } from './personalize-names';

interface BatchJobState {
  recipe: RecipeName;
  kind: BatchKind;
  solutionVersionArn: string;
  phase: 'queued' | 'running' | 'done';
  status: string;
  inputLines: number;
  arn?: string;
  filterArn?: string;
  deadlineAt: number;
  output?: BatchOutput;
}

interface BatchState {
  jobs: BatchJobState[];
}

export async function batchInferOnPersonalize(
  rt: AwsRuntime,
  ctx: EngineContext,
  prior?: Record<string, unknown>,
): Promise<StepResult<BatchInferResult>> {
  const state = (prior as BatchState | undefined)?.jobs ? (prior as unknown as BatchState) : await prepare(rt, ctx);

  for (const job of state.jobs.filter((j) => j.phase === 'running')) await check(rt, ctx, job);

  // Start what the limit allows; the count includes other runs' jobs, which share the quota.
  let slots = rt.config.aws.maxBatchJobs - (await rt.jobs.activeBatchJobs(rt.group, rt.config.aws.timeoutsMs.batch));
  for (const job of state.jobs.filter((j) => j.phase === 'queued')) {
    if (slots <= 0) break;
    if (!(await start(rt, ctx, job))) break;
    slots--;
  }

  for (const job of state.jobs) {
    if (job.phase !== 'done' && rt.now() > job.deadlineAt) {
      throw new AwsEngineError(
        'TIMEOUT',
        `batch ${job.kind} job for ${job.recipe} is still ${job.status} after ${Math.round(rt.config.aws.timeoutsMs.batch / 60_000)} min (PERSONALIZE_BATCH_TIMEOUT_MINUTES)` +
          (job.arn ? '; it keeps running in AWS and a rerun of this run reuses it' : ''),
        { jobArn: job.arn },
      );
    }
  }

  const done = state.jobs.filter((j) => j.phase === 'done');
  if (done.length === state.jobs.length) {
    const outputs = done.map((j) => j.output as BatchOutput);
    const cost = await recordRunCost(rt, ctx, outputs);
    ctx.logger.info({ runId: ctx.runId, cost }, cost.summary);
    await ctx.progress(100, cost.summary);
    return { status: 'done', result: { outputs } };
  }
  const pending = state.jobs
    .filter((j) => j.phase !== 'done')
    .map((j) => `${j.recipe} ${j.phase === 'queued' ? 'queued' : j.status}`);
  await ctx.progress(Math.round((done.length / state.jobs.length) * 100), `batch jobs: ${pending.join(', ')}`);
  return {
    status: 'waiting',
    recheckAfterMs: rt.config.aws.pollMs,
    state: { ...state },
    message: `waiting for Personalize batch jobs (${pending.join(', ')})`,
  };
}

async function prepare(rt: AwsRuntime, ctx: EngineContext): Promise<BatchState> {
  const store = requireS3(ctx.store);
  const groupArn = await requireDatasetGroup(rt);
  const filter = rt.config.engine.excludePurchased
    ? await rt.lookup.filter(groupArn, names.excludePurchasedFilter(rt.group))
    : undefined;
  if (rt.config.engine.excludePurchased && !filter) {
    ctx.logger.warn(
      { runId: ctx.runId },
      'EXCLUDE_PURCHASED is on but the exclude-purchased filter does not exist; run `recs aws setup --apply`',
    );
  }
  const jobs: BatchJobState[] = [];
  for (const recipe of ctx.recipes) {
    const solutionVersionArn = await requireTrainedVersion(rt, ctx.runId, recipe);
    const paths = batchPaths(ctx.layout, recipe);
    // A job an earlier attempt of this stage started is re-attached, not queued behind the limit
    // it already holds a place in, and its input is left as it is.
    const started = await rt.jobs.get(names.batchJob(rt.group, ctx.runId, recipe));
    const inputLines = started?.jobArn
      ? 0
      : await writeBatchInput(store, ctx.layout, recipe, paths.inputKey, rt.config.aws.rankingItems);
    jobs.push({
      recipe,
      kind: batchKindOf(recipe),
      solutionVersionArn,
      phase: started?.jobArn ? 'running' : 'queued',
      status: started?.jobArn ? (started.status ?? 'PENDING') : 'QUEUED',
      arn: started?.jobArn ?? undefined,
      inputLines,
      filterArn: recipe === 'user-personalization' ? filter?.arn : undefined,
      deadlineAt: rt.now() + rt.config.aws.timeoutsMs.batch,
    });
  }
  return { jobs };
}

/** Starts one job; false when Personalize says its own limit is reached (try again next check). */
async function start(rt: AwsRuntime, ctx: EngineContext, job: BatchJobState): Promise<boolean> {
  const store = requireS3(ctx.store);
  const paths = batchPaths(ctx.layout, job.recipe);
  const ref = { jobName: names.batchJob(rt.group, ctx.runId, job.recipe), runId: ctx.runId, recipe: job.recipe };
  const common = {
    jobName: ref.jobName,
    solutionVersionArn: job.solutionVersionArn,
    roleArn: rt.roleArn,
    jobInput: { s3DataSource: { path: store.uri(paths.inputKey) } },
    jobOutput: { s3DataDestination: { path: store.uri(paths.outputPrefix) } },
  };
  try {
    const { arn } = await rt.jobs.ensure(
      ref,
      async () => {
        if (job.kind === 'segment') {
          const r = await callAws(
            'personalize:ListBatchSegmentJobs',
            () =>
              rt.personalize.send(
                new ListBatchSegmentJobsCommand({ solutionVersionArn: job.solutionVersionArn, maxResults: 100 }),
              ),
            rt.retry,
          );
          return r.batchSegmentJobs?.find((j) => j.jobName === ref.jobName)?.batchSegmentJobArn;
        }
        const r = await callAws(
          'personalize:ListBatchInferenceJobs',
          () =>
            rt.personalize.send(
              new ListBatchInferenceJobsCommand({ solutionVersionArn: job.solutionVersionArn, maxResults: 100 }),
            ),
          rt.retry,
        );
        return r.batchInferenceJobs?.find((j) => j.jobName === ref.jobName)?.batchInferenceJobArn;
      },
      async () => {
        if (job.kind === 'segment') {
          const r = await callAws(
            'personalize:CreateBatchSegmentJob',
            () =>
              rt.personalize.send(
                new CreateBatchSegmentJobCommand({ ...common, numResults: rt.config.engine.numResults }),
              ),
            rt.retry,
          );
          return r.batchSegmentJobArn as string;
        }
        const r = await callAws(
          'personalize:CreateBatchInferenceJob',
          () =>
            rt.personalize.send(
              new CreateBatchInferenceJobCommand({
                ...common,
                // Ranking returns the whole itemList reordered; numResults does not apply to it.
                numResults: job.recipe === 'personalized-ranking' ? undefined : rt.config.engine.numResults,
                filterArn: job.filterArn,
              }),
            ),
          rt.retry,
        );
        return r.batchInferenceJobArn as string;
      },
    );
    job.arn = arn;
  } catch (err) {
    if (awsErrorName(err) === 'LimitExceededException') {
      ctx.logger.info(
        { runId: ctx.runId, recipe: job.recipe },
        'Personalize batch job limit reached; will retry on the next check',
      );
      await rt.jobs.record(ref, { status: 'QUEUED' });
      return false;
    }
    throw err;
  }
  job.phase = 'running';
  job.status = 'PENDING';
  job.deadlineAt = rt.now() + rt.config.aws.timeoutsMs.batch;
  return true;
}

async function check(rt: AwsRuntime, ctx: EngineContext, job: BatchJobState): Promise<void> {
  const ref = { jobName: names.batchJob(rt.group, ctx.runId, job.recipe), runId: ctx.runId, recipe: job.recipe };
  const described =
    job.kind === 'segment'
      ? (
          await callAws(
            'personalize:DescribeBatchSegmentJob',
            () => rt.personalize.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: job.arn })),
            rt.retry,
          )
        ).batchSegmentJob
      : (
          await callAws(
            'personalize:DescribeBatchInferenceJob',
            () => rt.personalize.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: job.arn })),
            rt.retry,
          )
        ).batchInferenceJob;
  job.status = normalizeStatus(described?.status);
  if (job.status === 'FAILED' || job.status === 'STOPPED') {
    const reason = described?.failureReason ?? 'no reason given';
    await rt.jobs.record(ref, { status: job.status, failureReason: reason, completedAt: new Date() });
    throw new AwsEngineError(
      'CREATE_FAILED',
      `batch ${job.kind} job ${ref.jobName} (${job.recipe}) is CREATE ${job.status}: ${reason}`,
      { jobArn: job.arn },
    );
  }
  if (job.status !== 'ACTIVE') {
    await rt.jobs.record(ref, { status: job.status });
    return;
  }
  const paths = batchPaths(ctx.layout, job.recipe);
  const collected = await collectBatchOutput(ctx.store, paths.outputPrefix, paths.finalKey);
  if (collected.failedLines > 0) {
    ctx.logger.warn(
      { runId: ctx.runId, recipe: job.recipe, failedLines: collected.failedLines, examples: collected.firstErrors },
      `${collected.failedLines} of ${collected.lines} batch inputs for ${job.recipe} failed; the rest load as usual`,
    );
  }
  if (job.recipe === 'item-affinity') {
    const key = `${ctx.layout.outputPrefix}item-affinity-users.jsonl`;
    const derived = await writeAffinityUsers(ctx.store, paths.finalKey, key, rt.config.engine.numResults);
    ctx.logger.info({ runId: ctx.runId, ...derived, key }, 'item affinity per customer derived from the segments');
  }
  await rt.jobs.record(ref, {
    status: 'ACTIVE',
    completedAt: new Date(),
    failureReason: collected.failedLines
      ? `${collected.failedLines} failed lines, e.g. ${collected.firstErrors[0]}`
      : null,
  });
  job.output = {
    recipe: job.recipe,
    key: paths.finalKey,
    lines: collected.lines,
    failedLines: collected.failedLines,
    externalId: job.arn,
  };
  job.phase = 'done';
}
