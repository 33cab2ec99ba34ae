import { AwsEngineError } from '../../src/aws-sdk/aws-engine-error';
import { createAwsHarness, drive, type AwsHarness } from '../support/aws-engine-harness';

let h: AwsHarness;
beforeAll(async () => {
  h = await createAwsHarness();
});
afterAll(() => h.close());

describe('AwsPersonalizeEngine.evaluate', () => {
  it("reports Personalize's solution metrics of the run's solution versions under AWS's names", async () => {
    const { fake, engine } = await h.fake();
    const ctx = h.ctx(30, ['popularity-count', 'user-personalization']);
    await drive((state) => engine.train(ctx, state));
    const { evaluations } = await engine.evaluate(ctx, { split: 'users', k: 10, trained: [] });
    const versions = fake.byKind('solution-version').map((v) => v.arn);
    expect(evaluations).toEqual([
      {
        recipe: 'popularity-count',
        metrics: {
          coverage: 0.41,
          mean_reciprocal_rank_at_25: 0.12,
          normalized_discounted_cumulative_gain_at_10: 0.2,
          precision_at_10: 0.05,
        },
        method: { split: 'users', source: 'personalize:GetSolutionMetrics', solutionVersionArn: versions[0] },
      },
      expect.objectContaining({
        recipe: 'user-personalization',
        method: expect.objectContaining({ solutionVersionArn: versions[1] }) as unknown,
      }) as unknown,
    ]);
  });

  it('refuses a run that has not trained the recipe, and splits Personalize does not make', async () => {
    const { engine } = await h.fake();
    await expect(engine.evaluate(h.ctx(31, ['similar-items']), { split: 'users', k: 10, trained: [] })).rejects.toThrow(
      'run 31 has no ACTIVE solution version for similar-items (train status: none); run the train stage first',
    );
    const err = await engine
      .evaluate(h.ctx(30, ['popularity-count']), { split: 'time', k: 10, trained: [] })
      .catch((e: unknown) => e);
    expect((err as AwsEngineError).code).toBe('BAD_INPUT');
  });
});
