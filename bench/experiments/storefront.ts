// A simulated storefront through the real gateway (HTTP, the response cache, batched exposures,
// recordEvents, order lines as the Shopify sync writes them, results read by GraphQL): customers
// arrive every simulated day, see 1-3 lists, click and buy by a ground-truth model whose
// conversion depends on the variant they were shown (read from the response itself), and the
// results are read after every day. The simulator's own counts are the truth the gateway's
// figures are checked against.
import { buildServices } from '../../src/app/services';
import { startGateway } from '../../src/app/start-gateway';
import type { Config } from '../../src/config/config';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { Prng } from '../../src/generate/prng';
import { seedServing } from '../../test/support/serving-fixtures';

export interface StorefrontPlan {
  days: number;
  customersPerDay: number;
  conversion: number;
  /** Relative lift of variant b's conversion (0 for A/A). */
  lift: number;
  clickRate: number;
  seed: number;
}

export interface StorefrontOutcome {
  requests: number;
  truth: { customers: number; conversions: Record<string, number>; revenue: number; clicks: number };
  gateway: {
    customers: number;
    exposures: number;
    conversions: Record<string, number>;
    revenue: number;
    clicks: number;
  };
  firstSignificantDay: number | null;
  liftEstimate: number | null;
  liftInterval: { low: number; high: number } | null;
}

const RECS = `query($u: ID!) { recommendations(userId: $u, limit: 6) { items { product { id price } } recommendationId experiment { variant } } }`;
const RESULTS = `query($id: ID!) { experiment(id: $id) { results { variants { key customers exposures clicks conversions revenue
  metrics { metric value vsControl { lift liftInterval { low high } significant } } } } } }`;

interface ResultsAnswer {
  experiment: {
    results: {
      variants: {
        key: string;
        customers: number;
        exposures: number;
        clicks: number;
        conversions: number;
        revenue: number;
        metrics: {
          metric: string;
          vsControl: {
            lift: number | null;
            liftInterval: { low: number; high: number } | null;
            significant: boolean;
          } | null;
        }[];
      }[];
    };
  };
}

export async function runStorefront(config: Config, plan: StorefrontPlan): Promise<StorefrontOutcome> {
  const services = buildServices(config, { name: 'bench-experiments' });
  await seedServing(services.db);
  const admin = (await createApiKey(services.db.pool, 'admin')).key;
  const ingest = (await createApiKey(services.db.pool, 'ingest')).key;
  const gateway = await startGateway(services);
  const { url } = await gateway.listen(0, '127.0.0.1');
  const gql = async <T>(query: string, variables: Record<string, unknown>, key?: string): Promise<T> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body).slice(0, 400)}`);
    return body.data;
  };
  try {
    const created = await gql<{ createExperiment: { experiment: { id: string } | null; userErrors: unknown[] } }>(
      `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { experiment { id } userErrors { message } } }`,
      {
        input: {
          name: plan.lift ? 'A/B: popular vs batch' : 'A/A',
          surfaces: ['RECOMMENDATIONS'],
          controlKey: 'a',
          variants: [
            { key: 'a', name: 'Batch', share: 50, strategy: 'BATCH' },
            {
              key: 'b',
              name: plan.lift ? 'Popular' : 'Batch again',
              share: 50,
              strategy: plan.lift ? 'POPULAR' : 'BATCH',
            },
          ],
          plannedCustomersPerVariant: Math.max(100, Math.round((plan.days * plan.customersPerDay) / 2)),
        },
      },
      admin,
    );
    const id = created.createExperiment.experiment?.id;
    if (!id) throw new Error(`experiment not created: ${JSON.stringify(created.createExperiment.userErrors)}`);
    await gql(`mutation($id: ID!) { startExperiment(id: $id) { userErrors { message } } }`, { id }, admin);

    const rng = new Prng(plan.seed);
    const truth = { customers: 0, conversions: { a: 0, b: 0 } as Record<string, number>, revenue: 0, clicks: 0 };
    let requests = 0;
    let firstSignificantDay: number | null = null;
    let last: ResultsAnswer | null = null;
    for (let day = 1; day <= plan.days; day++) {
      const lines: [string, string, string, number, number][] = [];
      for (let i = 0; i < plan.customersPerDay; i++) {
        const user = `s${plan.seed}-d${day}-${i}`;
        truth.customers += 1;
        let variant = '';
        let shown: { id: string; price: number }[] = [];
        const events: Record<string, unknown>[] = [];
        const visits = 1 + Math.floor(rng.next() * 3);
        for (let v = 0; v < visits; v++) {
          const r = await gql<{
            recommendations: {
              items: { product: { id: string; price: number } }[];
              recommendationId: string;
              experiment: { variant: string } | null;
            };
          }>(RECS, { u: user });
          requests += 1;
          variant = r.recommendations.experiment?.variant ?? '';
          shown = r.recommendations.items.map((x) => x.product);
          if (rng.next() < plan.clickRate && shown[0]) {
            truth.clicks += 1;
            events.push({
              userId: user,
              productId: shown[0].id,
              eventType: 'click',
              recommendationId: r.recommendations.recommendationId,
            });
          }
        }
        if (events.length) {
          await gql(`mutation($e: [EventInput!]!) { recordEvents(events: $e) { accepted } }`, { e: events }, ingest);
        }
        const p = plan.conversion * (variant === 'b' ? 1 + plan.lift : 1);
        if (rng.next() < p) {
          const product = shown[Math.floor(rng.next() * shown.length)] ?? { id: 'p1', price: 10 };
          const quantity = 1 + Math.floor(rng.next() * 2);
          truth.conversions[variant] = (truth.conversions[variant] ?? 0) + 1;
          truth.revenue += quantity * product.price;
          lines.push([`${user}:1`, user, product.id, quantity, product.price]);
        }
      }
      // The day's orders arrive as the Shopify sync writes them: order lines.
      if (lines.length) {
        await services.db.pool.query(
          `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, occurred_at)
           SELECT l, 'order-' || c, c, p, q, u, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::float8[]) AS t(l, c, p, q, u)`,
          [
            lines.map((l) => l[0]),
            lines.map((l) => l[1]),
            lines.map((l) => l[2]),
            lines.map((l) => l[3]),
            lines.map((l) => l[4]),
          ],
        );
      }
      // Exposures are flushed every EXPOSURE_FLUSH_MS; the daily look comes after one.
      await new Promise((r) => setTimeout(r, config.experiments.exposureFlushMs * 3));
      last = await gql<ResultsAnswer>(RESULTS, { id }, admin);
      const b = last.experiment.results.variants.find((v) => v.key === 'b');
      const conv = b?.metrics.find((m) => m.metric === 'CONVERSION_RATE')?.vsControl;
      if (conv?.significant && firstSignificantDay === null) firstSignificantDay = day;
    }
    const variants = last?.experiment.results.variants ?? [];
    const conv = variants.find((v) => v.key === 'b')?.metrics.find((m) => m.metric === 'CONVERSION_RATE')?.vsControl;
    return {
      requests,
      truth,
      gateway: {
        customers: variants.reduce((s, v) => s + v.customers, 0),
        exposures: variants.reduce((s, v) => s + v.exposures, 0),
        conversions: Object.fromEntries(variants.map((v) => [v.key, v.conversions])),
        revenue: variants.reduce((s, v) => s + v.revenue, 0),
        clicks: variants.reduce((s, v) => s + v.clicks, 0),
      },
      firstSignificantDay,
      liftEstimate: conv?.lift ?? null,
      liftInterval: conv?.liftInterval ?? null,
    };
  } finally {
    await gateway.close();
    await services.close();
  }
}
