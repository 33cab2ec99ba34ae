// The experiment store and service against PostgreSQL: lifecycle moves, one running experiment
// per surface, history, last-touch order attribution, and the guard that refuses shipping a loser.
import { ExperimentError, ExperimentService, ExposureRecorder, type NewExperiment } from '../../src/experiments';
import { createLogger } from '../../src/infra/logger';
import { createTestContext, type TestContext } from '../support/test-context';

const experiment = (name: string, surfaces: NewExperiment['surfaces'] = ['RECOMMENDATIONS']): NewExperiment => ({
  name,
  surfaces,
  controlKey: 'a',
  variants: [
    { key: 'a', name: 'Batch', share: 50, strategy: { kind: 'BATCH' } },
    { key: 'b', name: 'Popular', share: 50, strategy: { kind: 'POPULAR' } },
  ],
  plannedCustomersPerVariant: 1000,
});

async function refused(p: Promise<unknown>): Promise<ExperimentError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ExperimentError) return err;
    throw err;
  }
  throw new Error('expected an ExperimentError');
}

describe('experiment lifecycle', () => {
  let ctx: TestContext;
  let service: ExperimentService;

  beforeAll(async () => {
    ctx = await createTestContext();
    service = new ExperimentService(ctx.db);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('moves along its lifecycle, keeps history, and allows one running experiment per surface', async () => {
    const x = await service.create(experiment('one', ['RECOMMENDATIONS', 'REST']));
    const y = await service.create(experiment('two', ['REST']));
    const z = await service.create(experiment('three', ['SIMILAR_ITEMS']));
    expect((await service.move(x.id, 'start')).status).toBe('RUNNING');
    expect((await refused(service.move(y.id, 'start'))).reason).toBe('SURFACE_BUSY');
    expect((await service.move(z.id, 'start')).status).toBe('RUNNING');
    await service.move(x.id, 'pause');
    expect((await service.move(y.id, 'start')).status).toBe('RUNNING');
    // Resuming x would put two running experiments on REST.
    expect((await refused(service.move(x.id, 'resume'))).reason).toBe('SURFACE_BUSY');
    await service.move(y.id, 'stop');
    await service.move(x.id, 'resume');
    expect((await refused(service.move(y.id, 'start'))).reason).toBe('INVALID_TRANSITION');
    const history = await service.store.history(x.id);
    expect(history.map((h) => `${h.action}:${h.toStatus}`)).toEqual([
      'create:DRAFT',
      'start:RUNNING',
      'pause:PAUSED',
      'resume:RUNNING',
    ]);
  });

  it('attributes orders of exposed customers (last touch when the product was shown), and refuses to ship a loser without force', async () => {
    const x = await service.create(experiment('revenue'));
    // Its surface is free: stop whatever runs there.
    for (const r of await service.store.list({ status: 'RUNNING', first: 100 }))
      if (r.surfaces.includes('RECOMMENDATIONS')) await service.move(r.id, 'stop');
    await service.move(x.id, 'start');
    const recorder = new ExposureRecorder(ctx.db.pool, createLogger(ctx.config), {
      flushMs: 60_000,
      maxPendingLists: 10_000,
    });
    const shownAt = Date.now() - 3_600_000;
    // 200 customers per variant; a's buy p1 for 100, b's buy p2 for 10 (and p2 was not shown to them).
    const lines: unknown[][] = [];
    for (let i = 0; i < 400; i++) {
      const variant = i % 2 === 0 ? 'a' : 'b';
      recorder.record({ experimentId: x.id, variantKey: variant, subject: `k${i}`, productIds: ['p1'], at: shownAt });
      if (i % 4 < 2)
        lines.push([`o${i}:1`, `o${i}`, `k${i}`, variant === 'a' ? 'p1' : 'p2', 1, variant === 'a' ? 100 : 10]);
    }
    await recorder.close();
    await ctx.db.pool.query(
      `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, occurred_at)
       SELECT l, o, c, p, q, u, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::float8[]) AS t(l, o, c, p, q, u)`,
      [0, 1, 2, 3, 4, 5].map((k) => lines.map((l) => l[k])),
    );
    const results = await service.results(x.id);
    const a = results.variants.find((v) => v.key === 'a')!;
    const b = results.variants.find((v) => v.key === 'b')!;
    expect([a.customers, a.conversions, a.revenue]).toEqual([200, 100, 10_000]);
    expect([b.customers, b.conversions, b.revenue]).toEqual([200, 100, 1_000]);
    const attributed = (v: typeof a) => v.metrics.find((m) => m.metric === 'ATTRIBUTED_REVENUE_PER_CUSTOMER')!.value;
    expect(attributed(a)).toBe(50);
    expect(attributed(b)).toBe(0);
    expect(results.guardrails).toContainEqual({ variant: 'b', metric: 'REVENUE_PER_CUSTOMER', state: 'FAILED' });
    // Attribution is idempotent: a second read adds nothing.
    expect((await service.results(x.id)).variants.find((v) => v.key === 'a')!.revenue).toBe(10_000);

    const refusal = await refused(service.ship(x.id, 'b'));
    expect(refusal.reason).toBe('GUARDRAIL_FAILED');
    expect(refusal.message).toMatch(/REVENUE_PER_CUSTOMER \(-90\.0% against control\)/);
    expect((await service.get(x.id)).status).toBe('RUNNING');
    const shipped = await service.ship(x.id, 'b', true, 'cheaper to run');
    expect([shipped.status, shipped.shippedVariant]).toEqual(['SHIPPED', 'b']);
    expect((await service.store.history(x.id)).at(-1)?.note).toBe('shipped b: forced; cheaper to run');
  });
});
