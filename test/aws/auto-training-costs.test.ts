// `recs aws costs` says whether Personalize's automatic training is on, and what it adds.
import { printCosts } from '../../src/cli/commands/aws.command';
import { estimateCost, saveCostEstimate } from '../../src/aws/cost-estimate';
import { createTestContext, type TestContext } from '../support/test-context';

describe('recs aws costs and automatic training', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.db.prisma.pipelineRun.create({ data: { id: 1, engine: 'aws', recipes: [] } });
    await saveCostEstimate(
      ctx.db,
      1,
      'aws',
      estimateCost({ trainingHours: 7, batchInputs: 1000, ingestedBytes: 0, storedBytes: 0 }),
    );
  });
  afterAll(() => ctx.close());

  const lines = async (autoTraining: boolean) => {
    const out: string[] = [];
    await printCosts(ctx.db, (l) => out.push(l), 5, { autoTraining, costRates: {} });
    return out;
  };

  it('off (the default): says solutions train only when the pipeline runs', async () => {
    expect((await lines(false))[0]).toBe(
      'automatic training: off (PERSONALIZE_AUTO_TRAINING=false): solutions train only when the pipeline runs',
    );
  });

  it('on: warns of the 7-day retraining and prices it from the newest run (7 h x 30/7 x $0.24)', async () => {
    const [first, header] = await lines(true);
    expect(first).toContain('automatic training: ON');
    expect(first).toContain('about $7.20/month');
    expect(header).toMatch(/^run\s+engine/);
  });
});
