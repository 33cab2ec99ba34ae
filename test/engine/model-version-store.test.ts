// The model-version store compares like with like: a run's headline metric is only ever compared
// with an earlier run's figure measured on the same split.
import { ModelVersionStore } from '../../src/engine/model-version-store';
import { RunStore } from '../../src/pipeline/run-store';
import { STAGES } from '../../src/queues/registry';
import { createTestContext, type TestContext } from '../support/test-context';

describe('ModelVersionStore.previousMetric', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('ignores figures of an earlier run measured on another split', async () => {
    const runs = new RunStore(ctx.db);
    const versions = new ModelVersionStore(ctx.db);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runs.create({
        mode: 'FULL',
        trigger: 'test',
        engine: 'local',
        recipes: ['popularity-count'],
        stages: [...STAGES],
      });
      await versions.recordTrained(run.id, 'local', [{ recipe: 'popularity-count', params: {}, dataSnapshot: {} }]);
      await runs.setStatus(run.id, 'succeeded');
      ids.push(run.id);
    }
    const [first, second, third] = ids as [number, number, number];
    const score = (runId: number, split: 'users' | 'time', value: number) =>
      versions.saveEvaluation(runId, {
        recipe: 'popularity-count',
        metrics: { ndcg: value },
        method: { split, k: 10 },
      });
    await score(first, 'users', 0.2);
    // `recs evaluate --split time` on the second run: not comparable with the stage's users split.
    await score(second, 'time', 0.05);
    expect(await versions.previousMetric('local', 'popularity-count', third, 'ndcg', 'users')).toEqual({
      runId: first,
      value: 0.2,
    });
    expect(await versions.previousMetric('local', 'popularity-count', third, 'ndcg', 'time')).toEqual({
      runId: second,
      value: 0.05,
    });
  });
});
