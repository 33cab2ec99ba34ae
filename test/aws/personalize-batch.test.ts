import { RECIPES } from '../../src/engine/training-engine';
import { AwsEngineError } from '../../src/aws-sdk/aws-engine-error';
import { readAll } from '../storage/object-store.contract';
import { createAwsHarness, drive, type AwsHarness } from '../support/aws-engine-harness';

let h: AwsHarness;
beforeAll(async () => {
  h = await createAwsHarness();
});
afterAll(() => h.close());

async function lines(key: string): Promise<Record<string, unknown>[]> {
  return (await readAll(await h.store.get(key)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('AwsPersonalizeEngine.batchInfer', () => {
  it("runs every recipe's batch job (5 at most at once), gathers outputs for the loader, and stores a cost estimate", async () => {
    const { fake, engine } = await h.fake({
      failLine: (recipe, input) => recipe === 'similar-items' && input.itemId === 'p3',
    });
    await h.writeDatasets(20, 30, 6);
    const ctx = h.ctx(20, [...RECIPES]);
    await drive((state) => engine.train(ctx, state));

    // Two batch jobs of another run are still going: only three of ours may start now.
    await h.t.db.prisma.batchJobMetadata.createMany({
      data: [1, 2].map((i) => ({
        jobName: `shop-r19-batch-other-${i}`,
        runId: 19,
        recipeName: 'other',
        status: 'IN_PROGRESS',
        startedAt: new Date(),
      })),
    });
    const first = await engine.batchInfer(ctx);
    expect(first.status).toBe('waiting');
    expect(fake.byKind('batch-inference-job').length + fake.byKind('batch-segment-job').length).toBe(3);
    await h.t.db.prisma.batchJobMetadata.updateMany({ where: { runId: 19 }, data: { status: 'ACTIVE' } });

    const { result } = await drive((state) =>
      engine.batchInfer(
        ctx,
        state ??
          (first.status === 'waiting'
            ? (JSON.parse(JSON.stringify(first.state)) as Record<string, unknown>)
            : undefined),
      ),
    );
    expect(fake.maxConcurrentBatchJobs).toBeLessThanOrEqual(5);
    expect(result.outputs.map((o) => [o.recipe, o.key, o.lines, o.failedLines])).toEqual([
      ['popularity-count', 'runs/20/batch/popularity-count.jsonl', 1, 0],
      ['similar-items', 'runs/20/batch/similar-items.jsonl', 6, 1],
      ['user-personalization', 'runs/20/batch/user-personalization.jsonl', 30, 0],
      ['personalized-ranking', 'runs/20/batch/personalized-ranking.jsonl', 30, 0],
      ['item-affinity', 'runs/20/batch/item-affinity.jsonl', 6, 0],
    ]);

    // Inputs as REFERENCE.md describes them; item-affinity is a batch segment job.
    const jobs = Object.fromEntries(
      [...fake.byKind('batch-inference-job'), ...fake.byKind('batch-segment-job')].map((j) => [j.name, j]),
    );
    expect(jobs['shop-r20-batch-item-affinity']?.kind).toBe('batch-segment-job');
    expect(jobs['shop-r20-batch-user-personalization']?.input).toMatchObject({
      numResults: 25,
      roleArn: 'arn:aws:iam::123456789012:role/PersonalizeRole',
      filterArn: expect.stringContaining('shop-exclude-purchased') as unknown,
      jobInput: {
        s3DataSource: {
          path: `s3://${h.s3.bucket}/recs/runs/20/model/personalize/batch-input/user-personalization.json`,
        },
      },
      jobOutput: {
        s3DataDestination: {
          path: `s3://${h.s3.bucket}/recs/runs/20/model/personalize/batch-output/user-personalization/`,
        },
      },
    });
    const rankingJob = jobs['shop-r20-batch-personalized-ranking'];
    expect(rankingJob).toBeDefined();
    expect(rankingJob?.input.numResults).toBeUndefined();
    const ranking = await lines('runs/20/model/personalize/batch-input/personalized-ranking.json');
    // The most purchased items first (PURCHASE_COUNT), every user.
    expect(ranking[0]).toEqual({ userId: 'c1', itemList: ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'] });
    expect(await lines('runs/20/model/personalize/batch-input/similar-items.json')).toHaveLength(6);

    // The loader's file: Personalize's format, failed lines kept with their error.
    const similar = await lines('runs/20/batch/similar-items.jsonl');
    expect(similar.find((l) => (l.input as { itemId: string }).itemId === 'p3')).toEqual({
      input: { itemId: 'p3' },
      output: null,
      error: 'Item not found in training data',
    });
    expect((await lines('runs/20/batch/item-affinity.jsonl'))[0]).toEqual({
      input: { itemId: 'p1' },
      output: { recommendedUsers: ['u1', 'u2'] },
    });
    expect((await lines('runs/20/batch/user-personalization.jsonl'))[29]).toMatchObject({ input: { userId: 'c30' } });

    const rows = await h.t.db.prisma.batchJobMetadata.findMany({
      where: { runId: 20, jobName: { contains: '-batch-' } },
    });
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.status === 'ACTIVE' && r.jobArn)).toBe(true);
    expect(rows.find((r) => r.recipeName === 'similar-items')?.failureReason).toBe(
      '1 failed lines, e.g. Item not found in training data',
    );

    const cost = await h.t.db.prisma.runCostEstimate.findUnique({ where: { runId: 20 } });
    expect(cost).toMatchObject({ engine: 'aws', trainingHours: 2.5, batchInputs: 73 });
    expect(Number(cost?.ingestedBytes)).toBeGreaterThan(0);
    expect(Number(cost?.storedBytes)).toBeGreaterThan(Number(cost?.ingestedBytes));
    expect(cost?.totalUsd).toBeCloseTo(2.5 * 0.24 + 0.073 * 0.067, 3);
  });

  it('keeps a job queued when Personalize reports its own limit, and starts it on a later check', async () => {
    const { fake, engine } = await h.fake();
    await h.writeDatasets(21);
    const ctx = h.ctx(21, ['similar-items']);
    await drive((state) => engine.train(ctx, state));
    fake.limited.set('CreateBatchInferenceJob', 1);
    const first = await engine.batchInfer(ctx);
    expect(fake.limited.get('CreateBatchInferenceJob')).toBe(0);
    expect(fake.byKind('batch-inference-job')).toHaveLength(0);
    expect(first.status === 'waiting' && first.message).toContain('similar-items queued');
    const { result } = await drive((state) =>
      engine.batchInfer(ctx, state ?? (first.status === 'waiting' ? first.state : undefined)),
    );
    expect(result.outputs[0]?.lines).toBe(6);
  });

  it('re-attaches to the jobs an interrupted attempt started instead of starting them again', async () => {
    const { fake, engine } = await h.fake();
    await h.writeDatasets(25);
    const ctx = h.ctx(25, ['similar-items', 'item-affinity']);
    await drive((state) => engine.train(ctx, state));
    const first = await engine.batchInfer(ctx);
    expect(first.status).toBe('waiting');
    // The worker died and its delayed re-check was lost: the stage starts over without state.
    const { result } = await drive((state) => engine.batchInfer(ctx, state));
    expect(fake.byKind('batch-inference-job')).toHaveLength(1);
    expect(fake.byKind('batch-segment-job')).toHaveLength(1);
    expect(result.outputs.map((o) => o.lines)).toEqual([6, 6]);
  });

  it('fails with the failureReason when a batch job is CREATE FAILED', async () => {
    const { engine } = await h.fake({
      failures: [{ kind: 'batch-inference-job', reason: 'Input file has invalid JSON on line 3' }],
    });
    await h.writeDatasets(22);
    const ctx = h.ctx(22, ['user-personalization']);
    await drive((state) => engine.train(ctx, state));
    const err = await drive((state) => engine.batchInfer(ctx, state)).catch((e: unknown) => e);
    expect((err as AwsEngineError).code).toBe('CREATE_FAILED');
    expect((err as Error).message).toBe(
      'batch inference job shop-r22-batch-user-personalization (user-personalization) is CREATE FAILED: Input file has invalid JSON on line 3',
    );
  });

  it('refuses to start before training has an ACTIVE version for the recipe', async () => {
    const { engine } = await h.fake();
    await h.writeDatasets(23);
    await expect(engine.batchInfer(h.ctx(23, ['item-affinity']))).rejects.toThrow(
      'run 23 has no ACTIVE solution version for item-affinity (train status: none); run the train stage first',
    );
  });

  it('times out per kind when a batch job outlasts PERSONALIZE_BATCH_TIMEOUT_MINUTES', async () => {
    const { engine } = await h.fake();
    await h.writeDatasets(24);
    const ctx = h.ctx(24, ['popularity-count']);
    await drive((state) => engine.train(ctx, state));
    const first = await engine.batchInfer(ctx);
    expect(first.status).toBe('waiting');
    h.clock.now += 721 * 60_000;
    const err = await engine
      .batchInfer(
        ctx,
        first.status === 'waiting' ? (JSON.parse(JSON.stringify(first.state)) as Record<string, unknown>) : undefined,
      )
      .catch((e: unknown) => e);
    expect((err as AwsEngineError).code).toBe('TIMEOUT');
    expect((err as Error).message).toBe(
      'batch inference job for popularity-count is still PENDING after 720 min (PERSONALIZE_BATCH_TIMEOUT_MINUTES); it keeps running in AWS and a rerun of this run reuses it',
    );
  });
});
