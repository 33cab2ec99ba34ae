// Dataset import jobs: the export stage's AWS half. Starts one import per CSV present in the run's
// datasets (interactions required), then re-checks until each is ACTIVE, in StepResult style.
import {
  CreateDatasetImportJobCommand,
  DescribeDatasetImportJobCommand,
  ListDatasetImportJobsCommand,
} from '@aws-sdk/client-personalize';
import type { EngineContext, StepResult } from '../engine/training-engine';
import type { ObjectStore } from '../storage/object-store';
import { callAws } from '../aws-sdk/aws-call';
import { requireDatasetGroup, requireS3, type AwsRuntime } from './aws-engine-deps';
import { AwsEngineError } from '../aws-sdk/aws-engine-error';
import { normalizeStatus } from './personalize-status';
import { DATASET_KINDS, DATASET_TYPE, names, type DatasetKind } from './personalize-names';

export type ImportMode = 'FULL' | 'INCREMENTAL';

export interface DatasetImportResult {
  imports: { dataset: DatasetKind; jobArn: string; status: string; bytes: number }[];
}

interface ImportJobState {
  dataset: DatasetKind;
  datasetArn: string;
  jobArn?: string;
  status: string;
  bytes: number;
  deadlineAt: number;
}

interface ImportState {
  mode: ImportMode;
  jobs: ImportJobState[];
}

/** True when the CSV has a line after its header (reads only the start of the object). */
async function hasDataRows(store: ObjectStore, key: string): Promise<boolean> {
  let text = '';
  const stream = await store.get(key);
  for await (const chunk of stream) {
    text += (chunk as Buffer).toString('utf8');
    const lines = text.split('\n');
    if (lines.length > 2 || (lines.length === 2 && lines[1]?.trim())) {
      stream.destroy();
      return true;
    }
    if (text.length > 1_000_000) break;
  }
  return text
    .split('\n')
    .slice(1)
    .some((l) => l.trim());
}

export async function importDatasets(
  rt: AwsRuntime,
  ctx: EngineContext,
  mode: ImportMode,
  prior?: Record<string, unknown>,
): Promise<StepResult<DatasetImportResult>> {
  const store = requireS3(ctx.store);
  let state = prior as ImportState | undefined;
  if (!state?.jobs) {
    const groupArn = await requireDatasetGroup(rt);
    const jobs: ImportJobState[] = [];
    const objects = new Map(
      (await store.list(ctx.layout.interactions.replace(/[^/]+$/, ''))).map((o) => [o.key, o.size]),
    );
    for (const dataset of DATASET_KINDS) {
      const bytes = objects.get(ctx.layout[dataset]);
      if (bytes === undefined) {
        if (dataset === 'interactions')
          throw new AwsEngineError(
            'BAD_INPUT',
            `${ctx.layout.interactions} is missing from the object store; run export-datasets first`,
          );
        continue; // items.csv and users.csv are optional in Personalize
      }
      if (!(await hasDataRows(store, ctx.layout[dataset]))) {
        if (dataset === 'interactions')
          throw new AwsEngineError(
            'BAD_INPUT',
            `${ctx.layout.interactions} has no rows; Personalize needs at least 1,000 interactions`,
          );
        ctx.logger.info({ runId: ctx.runId, dataset }, `${dataset}.csv has no rows; not imported`);
        continue;
      }
      const ds = await rt.lookup.dataset(groupArn, DATASET_TYPE[dataset]);
      if (!ds)
        throw new AwsEngineError(
          'NOT_SET_UP',
          `the ${DATASET_TYPE[dataset]} dataset of "${rt.group}" does not exist; run \`recs aws setup --apply\``,
        );
      jobs.push({
        dataset,
        datasetArn: ds.arn,
        status: 'SUBMITTING',
        bytes,
        deadlineAt: rt.now() + rt.config.aws.timeoutsMs.import,
      });
    }
    state = { mode, jobs };
  }

  for (const job of state.jobs) {
    if (job.status === 'ACTIVE') continue;
    const ref = {
      jobName: names.importJob(rt.group, ctx.runId, job.dataset),
      runId: ctx.runId,
      recipe: `import-${job.dataset}`,
    };
    if (!job.jobArn) {
      const { arn } = await rt.jobs.ensure(
        ref,
        async () => {
          const r = await callAws(
            'personalize:ListDatasetImportJobs',
            () =>
              rt.personalize.send(new ListDatasetImportJobsCommand({ datasetArn: job.datasetArn, maxResults: 100 })),
            rt.retry,
          );
          return r.datasetImportJobs?.find((j) => j.jobName === ref.jobName)?.datasetImportJobArn;
        },
        async () => {
          const r = await callAws(
            'personalize:CreateDatasetImportJob',
            () =>
              rt.personalize.send(
                new CreateDatasetImportJobCommand({
                  jobName: ref.jobName,
                  datasetArn: job.datasetArn,
                  dataSource: { dataLocation: store.uri(ctx.layout[job.dataset]) },
                  roleArn: rt.roleArn,
                  importMode: state.mode,
                }),
              ),
            rt.retry,
          );
          return r.datasetImportJobArn as string;
        },
      );
      job.jobArn = arn;
    }
    const d = await callAws(
      'personalize:DescribeDatasetImportJob',
      () => rt.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: job.jobArn })),
      rt.retry,
    );
    const status = normalizeStatus(d.datasetImportJob?.status);
    job.status = status;
    if (status === 'FAILED' || status === 'STOPPED') {
      const reason = d.datasetImportJob?.failureReason ?? 'no reason given';
      await rt.jobs.record(ref, { status, failureReason: reason, completedAt: new Date() });
      throw new AwsEngineError(
        'CREATE_FAILED',
        `dataset import ${ref.jobName} (${job.dataset}.csv) is CREATE ${status}: ${reason}`,
        { jobArn: job.jobArn },
      );
    }
    await rt.jobs.record(ref, { status, completedAt: status === 'ACTIVE' ? new Date() : null });
    if (status !== 'ACTIVE' && rt.now() > job.deadlineAt) {
      throw new AwsEngineError(
        'TIMEOUT',
        `dataset import ${ref.jobName} is still ${status} after ${Math.round(rt.config.aws.timeoutsMs.import / 60_000)} min (PERSONALIZE_IMPORT_TIMEOUT_MINUTES); it keeps running in AWS and a rerun picks it up`,
        { jobArn: job.jobArn },
      );
    }
  }

  const done = state.jobs.filter((j) => j.status === 'ACTIVE').length;
  if (done === state.jobs.length) {
    return {
      status: 'done',
      result: {
        imports: state.jobs.map((j) => ({
          dataset: j.dataset,
          jobArn: j.jobArn as string,
          status: j.status,
          bytes: j.bytes,
        })),
      },
    };
  }
  const pending = state.jobs.filter((j) => j.status !== 'ACTIVE').map((j) => `${j.dataset} ${j.status}`);
  await ctx.progress(Math.round((done / state.jobs.length) * 100), `dataset imports: ${pending.join(', ')}`);
  return {
    status: 'waiting',
    recheckAfterMs: rt.config.aws.pollMs,
    state: { ...state },
    message: `waiting for dataset imports (${pending.join(', ')})`,
  };
}
