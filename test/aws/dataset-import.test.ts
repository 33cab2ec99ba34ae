import { AwsEngineError } from '../../src/aws-sdk/aws-engine-error';
import { createAwsHarness, drive, type AwsHarness } from '../support/aws-engine-harness';

let h: AwsHarness;
beforeAll(async () => {
  h = await createAwsHarness();
});
afterAll(() => h.close());

describe('AwsPersonalizeEngine.importDatasets', () => {
  it('imports the three CSVs from S3 and waits through PENDING and IN_PROGRESS to ACTIVE', async () => {
    const { fake, engine } = await h.fake();
    await h.writeDatasets(1);
    const ctx = h.ctx(1, ['popularity-count']);
    const { result, waits } = await drive((state) =>
      state ? engine.importDatasets(ctx, 'FULL', state) : engine.startDatasetImports(ctx),
    );
    expect(result.imports.map((i) => [i.dataset, i.status])).toEqual([
      ['interactions', 'ACTIVE'],
      ['items', 'ACTIVE'],
      ['users', 'ACTIVE'],
    ]);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]?.recheckAfterMs).toBe(30_000);
    expect(waits[0]?.message).toMatch(/waiting for dataset imports \(interactions PENDING/);
    const jobs = fake.byKind('dataset-import-job');
    expect(jobs.map((j) => j.input)).toEqual(
      ['interactions', 'items', 'users'].map(
        (k) =>
          expect.objectContaining({
            jobName: `shop-r1-import-${k}`,
            dataSource: { dataLocation: `s3://${h.s3.bucket}/recs/runs/1/datasets/${k}.csv` },
            roleArn: 'arn:aws:iam::123456789012:role/PersonalizeRole',
            importMode: 'FULL',
          }) as unknown,
      ),
    );
    const rows = await h.t.db.prisma.batchJobMetadata.findMany({ where: { runId: 1 }, orderBy: { jobName: 'asc' } });
    expect(rows.map((r) => [r.jobName, r.status, r.jobArn?.startsWith('arn:aws:personalize')])).toEqual([
      ['shop-r1-import-interactions', 'ACTIVE', true],
      ['shop-r1-import-items', 'ACTIVE', true],
      ['shop-r1-import-users', 'ACTIVE', true],
    ]);
    expect(ctx.progressCalls.length).toBeGreaterThan(0);
  });

  it('uses INCREMENTAL for UPDATE runs and reuses the jobs of an interrupted attempt', async () => {
    const { fake, engine } = await h.fake();
    await h.writeDatasets(2);
    const ctx = h.ctx(2, ['popularity-count'], 'UPDATE');
    const first = await engine.startDatasetImports(ctx);
    expect(first.status).toBe('waiting');
    // The worker crashed and lost its state: a fresh call must find the same jobs, not start new ones.
    await drive((state) => engine.importDatasets(ctx, 'INCREMENTAL', state));
    expect(fake.byKind('dataset-import-job')).toHaveLength(3);
    expect(fake.byKind('dataset-import-job').every((j) => j.input.importMode === 'INCREMENTAL')).toBe(true);
  });

  it('fails with the job failureReason on CREATE FAILED and records it', async () => {
    const { engine } = await h.fake({
      failures: [
        { kind: 'dataset-import-job', name: /interactions/, reason: 'Input CSV is missing column EVENT_VALUE' },
      ],
    });
    await h.writeDatasets(3);
    const err = await drive((state) => engine.importDatasets(h.ctx(3, ['popularity-count']), 'FULL', state)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AwsEngineError);
    expect((err as AwsEngineError).code).toBe('CREATE_FAILED');
    expect((err as Error).message).toBe(
      'dataset import shop-r3-import-interactions (interactions.csv) is CREATE FAILED: Input CSV is missing column EVENT_VALUE',
    );
    const row = await h.t.db.prisma.batchJobMetadata.findUnique({ where: { jobName: 'shop-r3-import-interactions' } });
    expect(row).toMatchObject({ status: 'FAILED', failureReason: 'Input CSV is missing column EVENT_VALUE' });
  });

  it('skips an optional dataset whose CSV has only its header', async () => {
    const { fake, engine } = await h.fake();
    await h.writeDatasets(4);
    await h.store.put('runs/4/datasets/users.csv', 'USER_ID,CITY,PROVINCE,ORDER_COUNT,TOTAL_SPEND\n');
    const { result } = await drive((state) => engine.importDatasets(h.ctx(4, ['popularity-count']), 'FULL', state));
    expect(result.imports.map((i) => i.dataset)).toEqual(['interactions', 'items']);
    expect(fake.byKind('dataset-import-job')).toHaveLength(2);
  });

  it('says what to do when the datasets were not exported or Personalize was not set up', async () => {
    const { engine } = await h.fake();
    await expect(engine.startDatasetImports(h.ctx(404, ['popularity-count']))).rejects.toThrow(
      /runs\/404\/datasets\/interactions.csv is missing from the object store/,
    );
  });
});
