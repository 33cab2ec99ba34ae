// A running experiment with results to picture: created and started through the API, then the
// store's own customers see their recommendations through the gateway (each request records an
// exposure), some click (recordEvents) and some buy (order lines, as the Shopify sync writes
// them), so the per-experiment page shows customers, conversions, intervals and lift.
import { createApiKey } from '../src/gateway/auth/api-keys';
import { Prng } from '../src/generate/prng';
import type { DashboardEnv } from '../test/support/dashboard-env';

const RECS = `query($u: ID!) { recommendations(userId: $u) { items { product { id price } } recommendationId experiment { variant } } }`;

interface Recs {
  recommendations: {
    items: { product: { id: string; price: number } }[];
    recommendationId: string;
    experiment: { variant: string } | null;
  };
}

/** Returns the experiment's id once its exposures are written. */
export async function seedExperimentWithResults(env: DashboardEnv, customers: readonly string[]): Promise<string> {
  const { admin } = env.keys;
  const created = await env.gateway.gql<{ createExperiment: { experiment: { id: string } | null } }>(
    `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { experiment { id } userErrors { message } } }`,
    {
      input: {
        name: 'Personalized against popular',
        description: 'Does the batch beat the best sellers on the recommendations surface?',
        surfaces: ['RECOMMENDATIONS'],
        controlKey: 'batch',
        variants: [
          { key: 'batch', name: 'Batch', share: 50, strategy: 'BATCH' },
          { key: 'popular', name: 'Popular', share: 50, strategy: 'POPULAR' },
        ],
        plannedCustomersPerVariant: Math.max(100, Math.round(customers.length / 2)),
      },
    },
    admin,
  );
  const id = created.body.data?.createExperiment.experiment?.id;
  if (!id) throw new Error(`experiment not created: ${JSON.stringify(created.body)}`);
  await env.gateway.gql(`mutation($id: ID!) { startExperiment(id: $id) { userErrors { message } } }`, { id }, admin);

  // The gateway reads running experiments every EXPERIMENTS_REFRESH_SECONDS: wait until it serves this one.
  const probe = customers[0];
  if (!probe) throw new Error('no customers to expose');
  for (let tries = 0; ; tries++) {
    const r = await env.gateway.gql<Recs>(RECS, { u: probe });
    if (r.body.data?.recommendations.experiment) break;
    if (tries > 120) throw new Error('the gateway never served the experiment');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const ingest = (await createApiKey(env.ctx.db.pool, 'ingest', 'screenshots')).key;
  const rng = new Prng(13);
  const lines: { key: string; customer: string; product: string; price: number }[] = [];
  for (const customer of customers) {
    const r = await env.gateway.gql<Recs>(RECS, { u: customer });
    const recs = r.body.data?.recommendations;
    if (!recs) throw new Error(`recommendations failed: ${JSON.stringify(r.body)}`);
    const first = recs.items[0]?.product;
    if (!first) continue;
    if (rng.next() < 0.3)
      await env.gateway.gql(
        `mutation($e: [EventInput!]!) { recordEvents(events: $e) { accepted } }`,
        {
          e: [{ userId: customer, productId: first.id, eventType: 'click', recommendationId: recs.recommendationId }],
        },
        ingest,
      );
    // The batch converts better than the best sellers here, so the page has a lift to show.
    if (rng.next() < (recs.experiment?.variant === 'batch' ? 0.12 : 0.06))
      lines.push({ key: `screenshot-${customer}`, customer, product: first.id, price: first.price });
  }
  await env.ctx.db.pool.query(
    `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, occurred_at)
     SELECT l, 'order-' || l, c, p, 1, u, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS t(l, c, p, u)`,
    [lines.map((l) => l.key), lines.map((l) => l.customer), lines.map((l) => l.product), lines.map((l) => l.price)],
  );
  // Exposures are written in batches every EXPOSURE_FLUSH_MS.
  await new Promise((resolve) => setTimeout(resolve, env.ctx.config.experiments.exposureFlushMs * 3));
  return id;
}
