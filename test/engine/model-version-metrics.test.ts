import { createTestContext, type TestContext } from '../support/test-context';
import { saveEvaluationMetrics } from '../../src/engine/local/model-version-metrics';

describe('saveEvaluationMetrics', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  const record = {
    recipe: 'user-personalization',
    params: { numResults: 25 },
    metrics: { coverage: 0.5, normalized_discounted_cumulative_gain_at_10: 0.1 },
    evaluation: { split: 'users', k: 10, source: 'interactions.csv' },
  };

  it("stores metrics on the run's model version of the recipe", async () => {
    const mv = await t.db.prisma.modelVersion.create({ data: { runId: 5, engine: 'local', recipe: 'user-personalization' } });
    const id = await saveEvaluationMetrics(t.db.prisma, { ...record, runId: 5 });
    expect(id).toBe(mv.id);
    const row = await t.db.prisma.modelVersion.findUniqueOrThrow({ where: { id } });
    expect(row.metrics).toEqual({ ...record.metrics, evaluation: record.evaluation });
    expect(row.status).toBe('trained');
  });

  it('creates an evaluated model version when the run has none', async () => {
    const id = await saveEvaluationMetrics(t.db.prisma, record);
    const row = await t.db.prisma.modelVersion.findUniqueOrThrow({ where: { id } });
    expect({ status: row.status, engine: row.engine, runId: row.runId, params: row.params }).toEqual({
      status: 'evaluated',
      engine: 'local',
      runId: null,
      params: { numResults: 25 },
    });
  });
});
