import { AwsEngineError } from '../../src/aws-sdk/aws-engine-error';
import { RECIPES } from '../../src/engine/training-engine';
import { createAwsHarness, drive, type AwsHarness } from '../support/aws-engine-harness';

let h: AwsHarness;
beforeAll(async () => {
  h = await createAwsHarness();
});
afterAll(() => h.close());

describe('AwsPersonalizeEngine.train', () => {
  it('creates one solution per recipe and a version, waits to ACTIVE, and returns each model with its ARNs', async () => {
    const { fake, engine } = await h.fake();
    const ctx = h.ctx(10, [...RECIPES]);
    const { result, waits } = await drive((state) => engine.train(ctx, state));

    // Solution: PENDING, IN_PROGRESS, ACTIVE; then the version walks the same three states.
    expect(waits.length).toBeGreaterThanOrEqual(4);
    expect(waits.every((w) => w.recheckAfterMs === 30_000)).toBe(true);
    expect(waits[0]?.message).toContain('waiting for Personalize training (popularity-count solution PENDING');
    expect(fake.byKind('solution').map((s) => [s.name, s.input.recipeArn])).toEqual([
      ['shop-popularity-count', 'arn:aws:personalize:::recipe/aws-popularity-count'],
      ['shop-similar-items', 'arn:aws:personalize:::recipe/aws-similar-items'],
      ['shop-user-personalization', 'arn:aws:personalize:::recipe/aws-user-personalization-v2'],
      ['shop-personalized-ranking', 'arn:aws:personalize:::recipe/aws-personalized-ranking-v2'],
      ['shop-item-affinity', 'arn:aws:personalize:::recipe/aws-item-affinity'],
    ]);
    expect(fake.byKind('solution-version').every((v) => v.input.trainingMode === 'FULL')).toBe(true);
    // Personalize would retrain every solution every 7 days by default: the pipeline says no.
    expect(fake.byKind('solution').map((s) => s.input.performAutoTraining)).toEqual(RECIPES.map(() => false));

    expect(result.models.map((m) => m.recipe)).toEqual([...RECIPES]);
    const versions = fake.byKind('solution-version');
    expect(result.models.map((m) => m.externalId)).toEqual(versions.map((v) => v.arn));

    const rows = await h.t.db.prisma.batchJobMetadata.findMany({ where: { runId: 10 }, orderBy: { jobId: 'asc' } });
    expect(rows.map((r) => [r.jobName, r.recipeName, r.status])).toEqual(
      RECIPES.map((r) => [`shop-r10-train-${r}`, r, 'ACTIVE']),
    );
    expect(rows.every((r) => r.jobArn && r.completedAt)).toBe(true);

    expect(result.models[0]).toMatchObject({
      recipe: 'popularity-count',
      dataSnapshot: { datasetGroup: 'shop', runId: 10 },
    });
    expect(result.models[0]!.params).toMatchObject({
      trainingHours: 0.5,
      trainingMode: 'FULL',
      solutionVersionArn: versions[0]?.arn,
    });
    // model_versions belongs to the train stage (one writer): the engine only returns the models.
    expect(await h.t.db.prisma.modelVersion.count()).toBe(0);
  });

  it("reuses the solutions and the run's versions when the step runs again", async () => {
    const { fake, engine } = await h.fake();
    const ctx = h.ctx(11, ['similar-items']);
    await drive((state) => engine.train(ctx, state));
    // A second run of the same stage (a retry after a crash) trains nothing new...
    await drive((state) => engine.train(ctx, state));
    expect(fake.byKind('solution-version')).toHaveLength(1);
    // ...and another run reuses the solution but trains a new version.
    await drive((state) => engine.train(h.ctx(12, ['similar-items']), state));
    expect(fake.byKind('solution')).toHaveLength(1);
    expect(fake.byKind('solution-version')).toHaveLength(2);
    expect(await h.t.db.prisma.batchJobMetadata.count({ where: { runId: 11 } })).toBe(1);
  });

  it('trains UPDATE only where Personalize allows it (v1 user-personalization)', async () => {
    const v1 = await createAwsHarness({ PERSONALIZE_V2_RECIPES: 'false' });
    try {
      const { fake, engine } = await v1.fake();
      await drive((state) => engine.train(v1.ctx(13, ['user-personalization', 'similar-items'], 'UPDATE'), state));
      expect(fake.byKind('solution-version').map((v) => v.input.trainingMode)).toEqual(['UPDATE', 'FULL']);
      expect(fake.byKind('solution')[0]?.input.recipeArn).toBe('arn:aws:personalize:::recipe/aws-user-personalization');
    } finally {
      await v1.close();
    }
  });

  it('fails with the failureReason on CREATE FAILED and records FAILED for the alerts', async () => {
    const { engine } = await h.fake({
      failures: [{ kind: 'solution-version', name: /popularity/, reason: 'Insufficient data: need 1000 interactions' }],
    });
    const err = await drive((state) => engine.train(h.ctx(14, ['popularity-count']), state)).catch((e: unknown) => e);
    expect((err as AwsEngineError).code).toBe('CREATE_FAILED');
    expect((err as Error).message).toMatch(
      /^training popularity-count \(solution version arn:aws:personalize:.*\) is CREATE FAILED: Insufficient data: need 1000 interactions$/,
    );
    expect(
      await h.t.db.prisma.batchJobMetadata.findUnique({ where: { jobName: 'shop-r14-train-popularity-count' } }),
    ).toMatchObject({
      status: 'FAILED',
      failureReason: 'Insufficient data: need 1000 interactions',
    });
  });

  it('rides out throttling with retries', async () => {
    const { fake, engine } = await h.fake();
    fake.throttled.set('DescribeSolutionVersion', 3);
    fake.throttled.set('CreateSolution', 2);
    const { result } = await drive((state) => engine.train(h.ctx(15, ['popularity-count']), state));
    expect(result.models).toHaveLength(1);
    expect(fake.throttled.get('DescribeSolutionVersion')).toBe(0);
  });

  it('names the IAM action when access is denied', async () => {
    const { fake, engine } = await h.fake();
    fake.denied.add('CreateSolutionVersion');
    const err = await drive((state) => engine.train(h.ctx(16, ['similar-items']), state)).catch((e: unknown) => e);
    expect((err as AwsEngineError).code).toBe('ACCESS_DENIED');
    expect((err as Error).message).toContain('AWS denied personalize:CreateSolutionVersion');
  });

  it('times out per kind when training outlasts PERSONALIZE_TRAIN_TIMEOUT_MINUTES', async () => {
    const { engine } = await h.fake({ stepsPerStatus: 100 });
    const ctx = h.ctx(17, ['popularity-count']);
    const first = await engine.train(ctx);
    expect(first.status).toBe('waiting');
    h.clock.now += 721 * 60_000; // default timeout: 720 minutes
    const state = first.status === 'waiting' ? first.state : undefined;
    const err = await engine
      .train(ctx, JSON.parse(JSON.stringify(state)) as Record<string, unknown>)
      .catch((e: unknown) => e);
    expect((err as AwsEngineError).code).toBe('TIMEOUT');
    expect((err as Error).message).toMatch(
      /training popularity-count is still PENDING after 720 min \(PERSONALIZE_TRAIN_TIMEOUT_MINUTES\)/,
    );
  });

  it('says to run setup when the dataset group does not exist', async () => {
    const bare = await createAwsHarness({ PERSONALIZE_DATASET_GROUP: 'other' });
    try {
      const { engine } = await bare.fake();
      await expect(engine.train(bare.ctx(18, ['popularity-count']))).rejects.toThrow(
        'Personalize dataset group "other" does not exist; run `recs aws setup --apply`',
      );
    } finally {
      await bare.close();
    }
  });
});
