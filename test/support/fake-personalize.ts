// A stand-in for AWS Personalize built on aws-sdk-client-mock: it keeps the resources the engine
// creates and walks each through Personalize's state machine, one step per Describe call:
// CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE (or CREATE FAILED with a failureReason).
// Batch jobs, on reaching ACTIVE, write `<input>.out` files into the job's S3 output path the way
// Personalize does, so the engine's download-and-gather path runs for real against s3rver.
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import * as P from '@aws-sdk/client-personalize';
import type { ObjectStore } from '../../src/storage/object-store';

type Status = 'CREATE PENDING' | 'CREATE IN_PROGRESS' | 'ACTIVE' | 'CREATE FAILED';
const STEPS: Status[] = ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'];

export interface FakeResource {
  kind: string;
  arn: string;
  name: string;
  parentArn?: string;
  status: Status;
  step: number;
  input: Record<string, unknown>;
  createdAt: Date;
  failureReason?: string;
}

export interface FakeOptions {
  /** Resources (by kind and name) that end in CREATE FAILED with this reason. */
  failures?: { kind: string; name?: RegExp; reason: string }[];
  /** What a batch job answers for one input line (defaults: two items p1, p2 / users u1, u2). */
  respond?: (recipe: string, input: Record<string, unknown>) => Record<string, unknown>;
  /** Batch output lines to mark as failed (their `error` field set). */
  failLine?: (recipe: string, input: Record<string, unknown>) => boolean;
  store?: ObjectStore;
  storeUriPrefix?: string; // e.g. s3://bucket/prefix/ : maps S3 paths back to store keys
  /** Describe calls before a resource leaves CREATE PENDING (defaults to 1 step per call). */
  stepsPerStatus?: number;
}

export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

let seq = 0;

export class FakePersonalize {
  readonly client = new P.PersonalizeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  readonly mock: AwsStub<object, P.ServiceOutputTypes, P.PersonalizeClientResolvedConfig>;
  readonly resources: FakeResource[] = [];
  /** Commands (without "Command") that throw ThrottlingException for their next n calls. */
  readonly throttled = new Map<string, number>();
  /** Commands that throw LimitExceededException (a Personalize quota) for their next n calls. */
  readonly limited = new Map<string, number>();
  /** Commands that always throw AccessDeniedException. */
  readonly denied = new Set<string>();
  /** Most batch jobs ever in CREATE PENDING / IN_PROGRESS at the same time. */
  maxConcurrentBatchJobs = 0;

  constructor(private readonly opts: FakeOptions = {}) {
    this.mock = mockClient(this.client);
    this.wire();
  }

  byKind(kind: string): FakeResource[] {
    return this.resources.filter((r) => r.kind === kind);
  }

  calls(command: string): number {
    return this.mock.calls().filter((c) => (c.args[0] as object).constructor.name === `${command}Command`).length;
  }

  private create(
    kind: string,
    givenName: string | undefined,
    input: Record<string, unknown>,
    parentArn?: string,
  ): FakeResource {
    const name = givenName ?? `unnamed-${seq + 1}`;
    if (this.resources.some((r) => r.kind === kind && r.name === name && r.parentArn === parentArn)) {
      throw awsError('ResourceAlreadyExistsException', `${kind} ${name} already exists`);
    }
    const r: FakeResource = {
      kind,
      arn: `arn:aws:personalize:us-east-1:123456789012:${kind}/${name}-${++seq}`,
      name,
      parentArn,
      status: 'CREATE PENDING',
      step: 0,
      input,
      createdAt: new Date(),
    };
    this.resources.push(r);
    return r;
  }

  private async advance(arn: string | undefined): Promise<FakeResource> {
    const r = this.resources.find((x) => x.arn === arn);
    if (!r) throw awsError('ResourceNotFoundException', `${arn} not found`);
    if (r.status === 'ACTIVE' || r.status === 'CREATE FAILED') return r;
    const next = STEPS[Math.min(STEPS.length - 1, Math.floor(r.step / (this.opts.stepsPerStatus ?? 1)))] ?? 'ACTIVE';
    r.step++;
    const failure = this.opts.failures?.find((f) => f.kind === r.kind && (!f.name || f.name.test(r.name)));
    if (next === 'ACTIVE' && failure) {
      r.status = 'CREATE FAILED';
      r.failureReason = failure.reason;
    } else {
      if (next === 'ACTIVE' && (r.kind === 'batch-inference-job' || r.kind === 'batch-segment-job'))
        await this.writeOutput(r);
      r.status = next;
    }
    return r;
  }

  private key(s3Path: string): string {
    const prefix = this.opts.storeUriPrefix ?? '';
    if (!s3Path.startsWith(prefix)) throw new Error(`fake: ${s3Path} is outside the test store`);
    return s3Path.slice(prefix.length);
  }

  private async writeOutput(r: FakeResource): Promise<void> {
    const store = this.opts.store;
    if (!store) throw new Error('fake: batch jobs need a store');
    const input = r.input as {
      jobInput: { s3DataSource: { path: string } };
      jobOutput: { s3DataDestination: { path: string } };
    };
    const inKey = this.key(input.jobInput.s3DataSource.path);
    const chunks: Buffer[] = [];
    for await (const c of await store.get(inKey)) chunks.push(c as Buffer);
    const recipe = /batch-([a-z-]+)$/.exec(r.name)?.[1] ?? '';
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const i = JSON.parse(l) as Record<string, unknown>;
        if (this.opts.failLine?.(recipe, i))
          return JSON.stringify({ input: i, output: null, error: 'Item not found in training data' });
        if (this.opts.respond) return JSON.stringify({ input: i, output: this.opts.respond(recipe, i) });
        if (r.kind === 'batch-segment-job')
          return JSON.stringify({ input: i, output: { recommendedUsers: ['u1', 'u2'] } });
        if (i.itemList)
          return JSON.stringify({
            input: i,
            output: {
              recommendedItems: [...(i.itemList as string[])].reverse(),
              scores: (i.itemList as string[]).map(() => 0.5),
            },
          });
        return JSON.stringify({
          input: i,
          output: { recommendedItems: ['p1', 'p2'], scores: [0.6, 0.4] },
          error: null,
        });
      });
    // Personalize names its output after the input file; no trailing newline, as it sometimes does.
    const fileName = inKey.split('/').pop();
    await store.put(`${this.key(input.jobOutput.s3DataDestination.path)}${fileName}.out`, lines.join('\n'));
  }

  private guard(command: string): void {
    const n = this.throttled.get(command) ?? 0;
    if (n > 0) {
      this.throttled.set(command, n - 1);
      throw awsError('ThrottlingException', 'Rate exceeded');
    }
    const l = this.limited.get(command) ?? 0;
    if (l > 0) {
      this.limited.set(command, l - 1);
      throw awsError('LimitExceededException', 'You have reached the maximum number of active batch jobs');
    }
    if (this.denied.has(command)) {
      throw awsError(
        'AccessDeniedException',
        `User: arn:aws:iam::123456789012:user/app is not authorized to perform: personalize:${command}`,
        403,
      );
    }
  }

  private trackConcurrency(): void {
    const active = this.resources.filter(
      (r) => r.kind.startsWith('batch-') && (r.status === 'CREATE PENDING' || r.status === 'CREATE IN_PROGRESS'),
    ).length;
    this.maxConcurrentBatchJobs = Math.max(this.maxConcurrentBatchJobs, active);
  }

  private wire(): void {
    const stub = this.mock;
    // Every handler first honours the throttling / access-denied switches of the test.
    const m = {
      on: <I extends object, O extends object>(
        command: new (input: I) => P.$Command<I, O, P.PersonalizeClientResolvedConfig>,
      ) => ({
        callsFake: (fn: (input: I) => unknown) =>
          stub.on(command as never).callsFake(async (input: I) => {
            this.guard(command.name.replace(/Command$/, ''));
            const out = await fn(input);
            this.trackConcurrency();
            return out;
          }),
      }),
    };
    const list = <T>(kind: string, parentArn: string | undefined, map: (r: FakeResource) => T) =>
      this.byKind(kind)
        .filter((r) => parentArn === undefined || r.parentArn === parentArn)
        .map(map);

    m.on(P.ListDatasetGroupsCommand).callsFake(() => ({
      datasetGroups: list('dataset-group', undefined, (r) => ({
        name: r.name,
        datasetGroupArn: r.arn,
        status: r.status,
      })),
    }));
    m.on(P.CreateDatasetGroupCommand).callsFake((i: P.CreateDatasetGroupRequest) => ({
      datasetGroupArn: this.create('dataset-group', i.name, { ...i }).arn,
    }));
    m.on(P.DescribeDatasetGroupCommand).callsFake(async (i: P.DescribeDatasetGroupRequest) => {
      const r = await this.advance(i.datasetGroupArn);
      return {
        datasetGroup: { name: r.name, datasetGroupArn: r.arn, status: r.status, failureReason: r.failureReason },
      };
    });
    m.on(P.ListSchemasCommand).callsFake(() => ({
      schemas: list('schema', undefined, (r) => ({ name: r.name, schemaArn: r.arn })),
    }));
    m.on(P.CreateSchemaCommand).callsFake((i: P.CreateSchemaRequest) => {
      const r = this.create('schema', i.name, { ...i });
      r.status = 'ACTIVE';
      return { schemaArn: r.arn };
    });
    m.on(P.DescribeSchemaCommand).callsFake((i: P.DescribeSchemaRequest) => {
      const r = this.resources.find((x) => x.arn === i.schemaArn);
      return { schema: { name: r?.name, schemaArn: r?.arn, schema: r?.input.schema as string } };
    });
    m.on(P.ListDatasetsCommand).callsFake((i: P.ListDatasetsRequest) => ({
      datasets: list('dataset', i.datasetGroupArn, (r) => ({
        name: r.name,
        datasetArn: r.arn,
        datasetType: r.input.datasetType as string,
        status: r.status,
      })),
    }));
    m.on(P.CreateDatasetCommand).callsFake((i: P.CreateDatasetRequest) => ({
      datasetArn: this.create('dataset', i.name, { ...i }, i.datasetGroupArn).arn,
    }));
    m.on(P.DescribeDatasetCommand).callsFake(async (i: P.DescribeDatasetRequest) => ({
      dataset: { datasetArn: i.datasetArn, status: (await this.advance(i.datasetArn)).status },
    }));
    m.on(P.ListFiltersCommand).callsFake((i: P.ListFiltersRequest) => ({
      Filters: list('filter', i.datasetGroupArn, (r) => ({ name: r.name, filterArn: r.arn, status: r.status })),
    }));
    m.on(P.CreateFilterCommand).callsFake((i: P.CreateFilterRequest) => ({
      filterArn: this.create('filter', i.name, { ...i }, i.datasetGroupArn).arn,
    }));
    m.on(P.DescribeFilterCommand).callsFake(async (i: P.DescribeFilterRequest) => ({
      filter: { filterArn: i.filterArn, status: (await this.advance(i.filterArn)).status },
    }));
    m.on(P.ListEventTrackersCommand).callsFake((i: P.ListEventTrackersRequest) => ({
      eventTrackers: list('event-tracker', i.datasetGroupArn, (r) => ({
        name: r.name,
        eventTrackerArn: r.arn,
        status: r.status,
      })),
    }));
    m.on(P.CreateEventTrackerCommand).callsFake((i: P.CreateEventTrackerRequest) => {
      const r = this.create('event-tracker', i.name, { ...i }, i.datasetGroupArn);
      return { eventTrackerArn: r.arn, trackingId: `tracking-${r.name}` };
    });
    m.on(P.DescribeEventTrackerCommand).callsFake((i: P.DescribeEventTrackerRequest) => {
      const r = this.resources.find((x) => x.arn === i.eventTrackerArn);
      return { eventTracker: { eventTrackerArn: r?.arn, trackingId: `tracking-${r?.name}`, status: 'ACTIVE' } };
    });
    m.on(P.ListDatasetImportJobsCommand).callsFake((i: P.ListDatasetImportJobsRequest) => ({
      datasetImportJobs: list('dataset-import-job', i.datasetArn, (r) => ({
        jobName: r.name,
        datasetImportJobArn: r.arn,
        status: r.status,
      })),
    }));
    m.on(P.CreateDatasetImportJobCommand).callsFake((i: P.CreateDatasetImportJobRequest) => ({
      datasetImportJobArn: this.create('dataset-import-job', i.jobName, { ...i }, i.datasetArn).arn,
    }));
    m.on(P.DescribeDatasetImportJobCommand).callsFake(async (i: P.DescribeDatasetImportJobRequest) => {
      const r = await this.advance(i.datasetImportJobArn);
      return {
        datasetImportJob: {
          datasetImportJobArn: r.arn,
          jobName: r.name,
          status: r.status,
          failureReason: r.failureReason,
        },
      };
    });
    m.on(P.ListSolutionsCommand).callsFake((i: P.ListSolutionsRequest) => ({
      solutions: list('solution', i.datasetGroupArn, (r) => ({ name: r.name, solutionArn: r.arn, status: r.status })),
    }));
    m.on(P.CreateSolutionCommand).callsFake((i: P.CreateSolutionRequest) => ({
      solutionArn: this.create('solution', i.name, { ...i }, i.datasetGroupArn).arn,
    }));
    m.on(P.DescribeSolutionCommand).callsFake(async (i: P.DescribeSolutionRequest) => {
      const r = await this.advance(i.solutionArn);
      return {
        solution: { solutionArn: r.arn, name: r.name, status: r.status, recipeArn: r.input.recipeArn as string },
      };
    });
    m.on(P.ListSolutionVersionsCommand).callsFake((i: P.ListSolutionVersionsRequest) => ({
      solutionVersions: list('solution-version', i.solutionArn, (r) => ({
        solutionVersionArn: r.arn,
        status: r.status,
        creationDateTime: r.createdAt,
      })),
    }));
    m.on(P.CreateSolutionVersionCommand).callsFake((i: P.CreateSolutionVersionRequest) => ({
      solutionVersionArn: this.create('solution-version', i.name ?? 'v', { ...i }, i.solutionArn).arn,
    }));
    m.on(P.DescribeSolutionVersionCommand).callsFake(async (i: P.DescribeSolutionVersionRequest) => {
      const r = await this.advance(i.solutionVersionArn);
      return {
        solutionVersion: {
          solutionVersionArn: r.arn,
          status: r.status,
          failureReason: r.failureReason,
          trainingMode: r.input.trainingMode as P.TrainingMode,
          trainingHours: 0.5,
          creationDateTime: r.createdAt,
          lastUpdatedDateTime: new Date(r.createdAt.getTime() + 1_800_000),
        },
      };
    });
    m.on(P.GetSolutionMetricsCommand).callsFake((i: P.GetSolutionMetricsRequest) => ({
      solutionVersionArn: i.solutionVersionArn,
      metrics: {
        coverage: 0.41,
        mean_reciprocal_rank_at_25: 0.12,
        normalized_discounted_cumulative_gain_at_10: 0.2,
        precision_at_10: 0.05,
      },
    }));
    m.on(P.ListBatchInferenceJobsCommand).callsFake((i: P.ListBatchInferenceJobsRequest) => ({
      batchInferenceJobs: list('batch-inference-job', i.solutionVersionArn, (r) => ({
        jobName: r.name,
        batchInferenceJobArn: r.arn,
        status: r.status,
      })),
    }));
    m.on(P.CreateBatchInferenceJobCommand).callsFake((i: P.CreateBatchInferenceJobRequest) => ({
      batchInferenceJobArn: this.create('batch-inference-job', i.jobName, { ...i }, i.solutionVersionArn).arn,
    }));
    m.on(P.DescribeBatchInferenceJobCommand).callsFake(async (i: P.DescribeBatchInferenceJobRequest) => {
      const r = await this.advance(i.batchInferenceJobArn);
      return {
        batchInferenceJob: {
          batchInferenceJobArn: r.arn,
          jobName: r.name,
          status: r.status,
          failureReason: r.failureReason,
        },
      };
    });
    m.on(P.ListBatchSegmentJobsCommand).callsFake((i: P.ListBatchSegmentJobsRequest) => ({
      batchSegmentJobs: list('batch-segment-job', i.solutionVersionArn, (r) => ({
        jobName: r.name,
        batchSegmentJobArn: r.arn,
        status: r.status,
      })),
    }));
    m.on(P.CreateBatchSegmentJobCommand).callsFake((i: P.CreateBatchSegmentJobRequest) => ({
      batchSegmentJobArn: this.create('batch-segment-job', i.jobName, { ...i }, i.solutionVersionArn).arn,
    }));
    m.on(P.DescribeBatchSegmentJobCommand).callsFake(async (i: P.DescribeBatchSegmentJobRequest) => {
      const r = await this.advance(i.batchSegmentJobArn);
      return {
        batchSegmentJob: {
          batchSegmentJobArn: r.arn,
          jobName: r.name,
          status: r.status,
          failureReason: r.failureReason,
        },
      };
    });
  }
}
