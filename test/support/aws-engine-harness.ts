// Everything an AWS-engine test needs: a migrated schema on the real PostgreSQL, a real S3 server
// (s3rver) as the object store, a fake Personalize already set up (`recs aws setup --apply`), and
// helpers to write a run's CSVs and to drive a step through its `waiting` answers.
import pino from 'pino';
import { AwsPersonalizeEngine } from '../../src/aws/aws-personalize-engine';
import { setupPersonalize } from '../../src/aws/personalize-setup';
import type { RetryPolicy } from '../../src/aws-sdk/aws-call';
import { runLayout, type EngineContext, type RecipeName, type StepResult } from '../../src/engine/training-engine';
import { createObjectStore } from '../../src/storage/create-object-store';
import type { ObjectStore } from '../../src/storage/object-store';
import { createTestContext, type TestContext } from './test-context';
import { FakePersonalize, type FakeOptions } from './fake-personalize';
import { startLocalS3, type LocalS3 } from './s3-server';

export const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve() };

/** ENGINE=aws settings for a test against the local S3 server and the fake Personalize. */
export function awsTestSettings(bucket: string): Record<string, string> {
  return {
    ENGINE: 'aws',
    AWS_REGION: 'us-east-1',
    S3_BUCKET: bucket,
    S3_PREFIX: 'recs/',
    S3_FORCE_PATH_STYLE: 'true',
    PERSONALIZE_ROLE_ARN: 'arn:aws:iam::123456789012:role/PersonalizeRole',
    PERSONALIZE_DATASET_GROUP: 'shop',
  };
}

export interface AwsHarness {
  t: TestContext;
  s3: LocalS3;
  store: ObjectStore;
  clock: { now: number };
  fake(opts?: FakeOptions): Promise<{ fake: FakePersonalize; engine: AwsPersonalizeEngine }>;
  ctx(runId: number, recipes: RecipeName[], mode?: 'FULL' | 'UPDATE'): EngineContext & { progressCalls: string[] };
  writeDatasets(runId: number, users?: number, items?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createAwsHarness(overrides: Record<string, string> = {}): Promise<AwsHarness> {
  const s3 = await startLocalS3();
  const t = await createTestContext({ ...awsTestSettings(s3.bucket), PERSONALIZE_POLL_SECONDS: '30', ...overrides });
  const store = createObjectStore(t.config);
  const clock = { now: Date.now() };
  const logger = pino({ level: 'silent' });
  return {
    t,
    s3,
    store,
    clock,
    async fake(opts = {}) {
      const fake = new FakePersonalize({ store, storeUriPrefix: `s3://${s3.bucket}/recs/`, ...opts });
      await setupPersonalize(
        { client: fake.client, datasetGroup: 'shop', retry: FAST_RETRY, sleep: () => Promise.resolve() },
        true,
      );
      fake.mock.resetHistory();
      const engine = new AwsPersonalizeEngine({
        config: t.config,
        db: t.db,
        personalize: fake.client,
        retry: FAST_RETRY,
        now: () => clock.now,
      });
      return { fake, engine };
    },
    ctx(runId, recipes, mode = 'FULL') {
      const progressCalls: string[] = [];
      return {
        runId,
        mode,
        recipes,
        store,
        layout: runLayout(runId),
        logger,
        progressCalls,
        progress(percent, message) {
          progressCalls.push(`${percent}% ${message}`);
          return Promise.resolve();
        },
      };
    },
    async writeDatasets(runId, users = 30, items = 6) {
      const layout = runLayout(runId);
      const u = Array.from({ length: users }, (_, i) => `c${i + 1},Lahore,Punjab,${i + 1},${(i + 1) * 100}.00`);
      const it = Array.from(
        { length: items },
        (_, i) => `p${i + 1},Product ${i + 1},Cat${i % 2},${(i + 1) * 10}.00,${(items - i) * 7}`,
      );
      const inter: string[] = [];
      for (let i = 0; i < users; i++)
        for (let j = 0; j < 3; j++)
          inter.push(`c${i + 1},p${((i + j) % items) + 1},${1701187200 + i * 60 + j},purchase,1`);
      await store.put(layout.users, `USER_ID,CITY,PROVINCE,ORDER_COUNT,TOTAL_SPEND\n${u.join('\n')}\n`);
      await store.put(layout.items, `ITEM_ID,ITEM_NAME,CATEGORY,PRICE,PURCHASE_COUNT\n${it.join('\n')}\n`);
      await store.put(layout.interactions, `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n${inter.join('\n')}\n`);
    },
    async close() {
      await t.close();
      await s3.close();
    },
  };
}

/** Calls a step like the pipeline does: again with the returned state until it is done. */
export async function drive<T>(
  step: (state?: Record<string, unknown>) => Promise<StepResult<T>>,
  maxCalls = 30,
): Promise<{ result: T; waits: { recheckAfterMs: number; message: string }[] }> {
  let state: Record<string, unknown> | undefined;
  const waits: { recheckAfterMs: number; message: string }[] = [];
  for (let i = 0; i < maxCalls; i++) {
    const r = await step(state);
    if (r.status === 'done') return { result: r.result, waits };
    waits.push({ recheckAfterMs: r.recheckAfterMs, message: r.message });
    // The state travels through Redis as JSON: anything that does not survive that is a bug.
    state = JSON.parse(JSON.stringify(r.state)) as Record<string, unknown>;
  }
  throw new Error(`step still waiting after ${maxCalls} calls`);
}
