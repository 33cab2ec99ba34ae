// `npm run screenshots`: every dashboard page at desktop width (light) and phone width (dark),
// saved into docs/screenshots/, from a real gateway, worker, PostgreSQL and Redis over a synthetic
// store with two pipeline runs and a running experiment with results (the overview's render time
// is measured by `npm run bench:dashboard`).
// Options: --customers N --products N --interactions N (default: a small store, about a minute).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, signIn } from '../test/support/browser';
import { buildDashboard, startDashboardEnv, type DashboardEnv } from '../test/support/dashboard-env';
import { seedExperimentWithResults } from './screenshot-experiment';

const OUT = path.resolve(__dirname, '..', 'docs', 'screenshots');
const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 }, colorScheme: 'light' as const },
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
];

async function runPipeline(env: DashboardEnv): Promise<string> {
  const started = await env.gateway.gql<{ triggerRetrain: { run: { id: string } | null } }>(
    `mutation { triggerRetrain(input: { mode: FULL }) { run { id } userErrors { message } } }`,
    {},
    env.keys.admin,
  );
  const id = started.body.data?.triggerRetrain.run?.id;
  if (!id) throw new Error(`run not started: ${JSON.stringify(started.body)}`);
  for (;;) {
    const r = await env.gateway.gql<{ pipelineRun: { status: string; error: string | null } }>(
      `query($id: ID!) { pipelineRun(id: $id) { status error } }`,
      { id },
      env.keys.admin,
    );
    const run = r.body.data?.pipelineRun;
    if (run?.status === 'SUCCEEDED') return id;
    if (run && ['FAILED', 'CANCELLED'].includes(run.status))
      throw new Error(`run ${id} ${run.status}: ${run.error ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  // The gateway's and worker's request logs would bury the figures this prints.
  process.env['LOG_LEVEL'] ??= 'warn';
  const { values } = parseArgs({
    options: { customers: { type: 'string' }, products: { type: 'string' }, interactions: { type: 'string' } },
  });
  const store = {
    customers: Number(values.customers ?? 1_500),
    products: Number(values.products ?? 200),
    interactions: Number(values.interactions ?? 20_000),
  };
  mkdirSync(OUT, { recursive: true });
  buildDashboard();
  const env = await startDashboardEnv(store);
  const browser = await launchChromium();
  try {
    await runPipeline(env);
    const lastRun = await runPipeline(env);
    for (const [name, cron] of [
      ['pipeline', '0 2 1,15 * *'],
      ['sync', '0 2 * * *'],
      ['prewarm', '0 3 * * 1'],
      ['alerts', '0 * * * *'],
    ] as const) {
      await env.gateway.gql(
        `mutation($n: String!, $c: String!) { setSchedule(name: $n, cron: $c) { schedule { name } } }`,
        { n: name, c: cron },
        env.keys.admin,
      );
    }
    const { rows } = await env.ctx.db.pool.query<{ user_id: string }>(
      `SELECT r.user_id FROM offline_user_recommendations r JOIN orders o ON o.customer_id = r.user_id GROUP BY r.user_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const { rows: products } = await env.ctx.db.pool.query<{ product_id: string }>(
      `SELECT product_id FROM offline_item_segments ORDER BY product_id LIMIT 1`,
    );
    const { rows: shoppers } = await env.ctx.db.pool.query<{ user_id: string }>(
      `SELECT user_id FROM offline_user_recommendations ORDER BY user_id LIMIT 400`,
    );
    const experiment = await seedExperimentWithResults(
      env,
      shoppers.map((s) => s.user_id),
    );
    const pages = [
      { file: 'overview', path: '' },
      { file: 'runs', path: 'runs' },
      { file: 'run', path: `runs/${lastRun}` },
      { file: 'models', path: 'models' },
      { file: 'customer', path: `customers?id=${encodeURIComponent(rows[0]?.user_id ?? '')}` },
      { file: 'product', path: `products?id=${encodeURIComponent(products[0]?.product_id ?? '')}` },
      { file: 'settings', path: 'settings' },
      { file: 'experiments', path: 'experiments' },
      { file: 'experiment', path: `experiments/${experiment}` },
    ];
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: width.viewport, colorScheme: width.colorScheme });
      const page = await context.newPage();
      await page.goto(env.url);
      await page.getByLabel('API key', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(OUT, `sign-in-${width.name}.png`) });
      await signIn(page, env.url, env.keys.admin);
      for (const p of pages) {
        await page.goto(`${env.url}${p.path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: path.join(OUT, `${p.file}-${width.name}.png`), fullPage: true });
      }
      await context.close();
    }

    console.log(`screenshots in ${OUT}`);
  } finally {
    await browser.close();
    await env.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
