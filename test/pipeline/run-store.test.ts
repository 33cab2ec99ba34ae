import { RunAlreadyActiveError } from '../../src/pipeline/pipeline-service';
import { RunStore } from '../../src/pipeline/run-store';
import { createTestContext, type TestContext } from '../support/test-context';

describe('RunStore', () => {
  let ctx: TestContext;
  let runs: RunStore;

  beforeAll(async () => {
    ctx = await createTestContext();
    runs = new RunStore(ctx.db);
  });
  afterAll(() => ctx.close());

  const create = () =>
    runs.create({
      mode: 'FULL',
      trigger: 'test',
      engine: 'local',
      recipes: ['popularity-count'],
      stages: ['export-datasets', 'train'],
    });

  it('creates a run with every planned stage pending', async () => {
    const run = await create();
    expect(run.status).toBe('queued');
    expect(run.stages).toEqual({ 'export-datasets': { status: 'pending' }, train: { status: 'pending' } });
    await runs.setStatus(run.id, 'succeeded');
  });

  it('refuses a second run while one is active, even when both start at once', async () => {
    const results = await Promise.allSettled([create(), create(), create()]);
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.reason).toBeInstanceOf(RunAlreadyActiveError);
    const active = await runs.active();
    await runs.setStatus(active!.id, 'failed', 'test');
    expect(await runs.active()).toBeNull();
  });

  it('merges stage patches atomically and marks the run running when a stage starts', async () => {
    const run = await create();
    await Promise.all([
      runs.patchStage(run.id, 'export-datasets', { status: 'running', startedAt: 'x' }),
      runs.patchStage(run.id, 'train', { progress: 5 }),
    ]);
    await runs.patchStage(run.id, 'export-datasets', { progress: 50, message: 'half' });
    const after = (await runs.get(run.id))!;
    expect(after.status).toBe('running');
    expect(after.startedAt).not.toBeNull();
    expect(after.stages['export-datasets']).toEqual({
      status: 'running',
      startedAt: 'x',
      progress: 50,
      message: 'half',
    });
    expect(after.stages.train).toEqual({ status: 'pending', progress: 5 });
    await runs.setStatus(run.id, 'succeeded');
    await runs.setStatus(run.id, 'failed', 'too late');
    expect((await runs.get(run.id))!.status).toBe('succeeded');
  });

  it('removes a key a patch sets to undefined, and keeps the others', async () => {
    const run = await create();
    await runs.patchStage(run.id, 'train', { status: 'running', error: 'connection reset', message: 'training' });
    await runs.patchStage(run.id, 'train', { status: 'succeeded', error: undefined });
    expect((await runs.get(run.id))!.stages.train).toEqual({ status: 'succeeded', message: 'training' });
    await runs.setStatus(run.id, 'succeeded');
    expect((await runs.get(run.id))!.status).toBe('succeeded');
  });
});
