// Dashboard benchmark (issue 13: "the overview renders in under 1 s on the reference-size store").
// Seeds a reference-size store (the synthetic generator's customers, products and orders, the
// cache tables as a run leaves them, months of runs, model versions, health snapshots and alerts),
// starts the gateway in a child process as `recs serve` does, signs in with Debian's Chromium and
// times navigation -> the overview's figures, last runs and both plots on screen (the page's own
// performance.now(), whose origin is the navigation's start). Cold loads use a new browser context
// (empty HTTP cache, session cookie kept); warm loads reuse one. Baselines from the same run and
// the same bundle, interleaved with the measured loads: the sign-in page (static, no data) and
// the overview against an empty store.
//   npm run bench:dashboard [-- --customers N --products M --interactions K --loads L --keep]
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { buildServices } from '../../src/app/services';
import { generateSyntheticStore } from '../../src/generate/synthetic-store';
import { writeSyntheticStore } from '../../src/generate/synthetic-store-writer';
import type { Config } from '../../src/config/config';
import { buildDashboard } from '../../test/support/dashboard-env';
import { launchChromium, signIn } from '../../test/support/browser';
import { seedCacheTables } from '../support/cache-seed';
import { dropBenchSchema, freshBenchConfig, seconds } from '../support/bench-schema';
import { GATEWAY_SCRIPT, median, printTable, startServer, stop, type Server } from '../support/serving-harness';
import { seedStoreHistory } from './store-history';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '180484' },
    products: { type: 'string', default: '4182' },
    interactions: { type: 'string', default: '1971527' },
    loads: { type: 'string', default: '10' },
    // Keeps the reference schema (bench_dashboard) for EXPLAIN ANALYZE of the overview's queries.
    keep: { type: 'boolean', default: false },
  },
});
const size = {
  customers: Number(values.customers),
  products: Number(values.products),
  interactions: Number(values.interactions),
};
const LOADS = Number(values.loads);

interface Target {
  name: string;
  url: string;
  /**
   * A condition on the page's DOM, true once it shows what the target measures. Checked in the
   * page on every animation frame, so the time is the frame it became true (a locator's waitFor
   * polls at up to 500 ms apart, too coarse to time a page).
   */
  ready: string;
  /** Signed-in state for new contexts (cookies); undefined: signed out. */
  storage?: Awaited<ReturnType<BrowserContext['storageState']>>;
  cold: number[];
  warm: number[];
  graphql: number[];
  warmContext?: BrowserContext;
}

async function seedReferenceStore(config: Config): Promise<string> {
  const services = buildServices(config, { name: 'bench' });
  const redis = new Redis(config.redis.url);
  try {
    const t = Date.now();
    const store = generateSyntheticStore({ ...size, seed: 42 });
    await writeSyntheticStore(services.db, store);
    const history = await seedStoreHistory(services.db.pool);
    await seedCacheTables(services.db.pool, redis, config.redis.prefix, size, {
      users: store.customers.map((c) => c.id),
      products: store.products.map((p) => p.id),
    });
    await services.db.pool.query('ANALYZE');
    console.log(
      `store: ${size.customers} customers, ${size.products} products, ${size.interactions} interactions, cache tables, ${history.runs} runs, ${history.snapshots} health snapshots, ${history.alerts} alerts; seeded in ${seconds(Date.now() - t)} s`,
    );
    return (await createApiKey(services.db.pool, 'read', 'bench')).key;
  } finally {
    redis.disconnect();
    await services.close();
  }
}

async function emptyStoreKey(config: Config): Promise<string> {
  const pool = new Pool({
    connectionString: config.database.url,
    max: 1,
    options: `-c search_path="${config.database.schema}"`,
  });
  try {
    return (await createApiKey(pool, 'read', 'bench')).key;
  } finally {
    await pool.end();
  }
}

function gatewayEnv(config: Config): Record<string, string> {
  return {
    DATABASE_SCHEMA: config.database.schema,
    QUEUE_PREFIX: config.redis.prefix,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    SCHEDULES_ENABLED: 'false',
  };
}

/** One navigation; ms from its start to `ready`, and the longest /graphql request it made. */
async function load(page: Page, t: Target): Promise<{ ms: number; graphqlMs: number }> {
  await page.goto(t.url, { waitUntil: 'commit' });
  const at = await page.waitForFunction(`(${t.ready}) && performance.now()`, undefined, {
    polling: 'raf',
    timeout: 60_000,
  });
  const ms = Number(await at.jsonValue());
  const graphqlMs = await page.evaluate<number>(
    `Math.max(0, ...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/graphql')).map((e) => e.duration))`,
  );
  return { ms, graphqlMs };
}

// bypassCSP: the page's CSP forbids eval, which Playwright needs for the string predicates above.
const CONTEXT = { viewport: { width: 1280, height: 900 }, bypassCSP: true };

async function coldLoad(browser: Browser, t: Target): Promise<void> {
  const context = await browser.newContext({ ...CONTEXT, storageState: t.storage });
  try {
    const r = await load(await context.newPage(), t);
    t.cold.push(r.ms);
    if (r.graphqlMs) t.graphql.push(r.graphqlMs);
  } finally {
    await context.close();
  }
}

async function warmLoad(browser: Browser, t: Target): Promise<void> {
  if (!t.warmContext) {
    t.warmContext = await browser.newContext({ ...CONTEXT, storageState: t.storage });
    await load(await t.warmContext.newPage(), t); // fills the HTTP cache; not counted
  }
  const page = t.warmContext.pages()[0];
  if (!page) throw new Error('the warm context lost its page');
  t.warm.push((await load(page, t)).ms);
}

async function signedInState(browser: Browser, url: string, key: string): Promise<Target['storage']> {
  const context = await browser.newContext();
  try {
    await signIn(await context.newPage(), url, key);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const reference = await freshBenchConfig('bench_dashboard');
  const empty = await freshBenchConfig('bench_dashboard_empty');
  const servers: Server[] = [];
  let browser: Browser | undefined;
  try {
    buildDashboard();
    const referenceKey = await seedReferenceStore(reference);
    const emptyKey = await emptyStoreKey(empty);
    let gateway = await startServer(GATEWAY_SCRIPT, gatewayEnv(reference));
    servers.push(gateway);
    const bare = await startServer(GATEWAY_SCRIPT, gatewayEnv(empty));
    servers.push(bare);
    browser = await launchChromium();
    const has = (selector: string) => `document.querySelector(${JSON.stringify(selector)}) !== null`;
    const overviewReady = [
      has('[data-testid="figures"]'),
      `[...document.querySelectorAll('caption')].some((c) => c.textContent === 'The five most recent pipeline runs')`,
      `document.querySelectorAll('.charts canvas').length >= 2`, // both plots drawn
    ].join(' && ');
    const targets: Target[] = [
      {
        name: 'sign-in page (baseline: static, no data)',
        url: `${gateway.url}/dashboard/`,
        ready: has('#api-key'),
        cold: [],
        warm: [],
        graphql: [],
      },
      {
        name: 'overview, empty store (baseline)',
        url: `${bare.url}/dashboard/`,
        ready: `${has('[data-testid="figures"]')} && document.body.textContent.includes('No history yet')`,
        storage: await signedInState(browser, `${bare.url}/dashboard/`, emptyKey),
        cold: [],
        warm: [],
        graphql: [],
      },
      {
        name: 'overview, reference store',
        url: `${gateway.url}/dashboard/`,
        ready: overviewReady,
        storage: await signedInState(browser, `${gateway.url}/dashboard/`, referenceKey),
        cold: [],
        warm: [],
        graphql: [],
      },
    ];
    // Interleaved, so each target sees about the same background load.
    for (let i = 0; i < LOADS; i++) for (const t of targets) await coldLoad(browser, t);
    for (let i = 0; i < LOADS; i++) for (const t of targets) await warmLoad(browser, t);

    // The first overview after a start: what the gateway's warm-up (src/gateway/warm-up.ts) does
    // before it prints READY is what this row would otherwise pay. Restarted each time; the
    // session cookie stays valid.
    const reference0 = targets[2];
    if (!reference0) throw new Error('no reference target');
    const first: Target = {
      ...reference0,
      name: 'overview, reference store, first after gateway start',
      cold: [],
      warm: [],
      graphql: [],
    };
    first.warmContext = undefined;
    for (let i = 0; i < Math.min(LOADS, 5); i++) {
      const at = servers.indexOf(gateway);
      await stop(gateway.child);
      gateway = await startServer(GATEWAY_SCRIPT, gatewayEnv(reference));
      servers[at] = gateway;
      first.url = `${gateway.url}/dashboard/`;
      await coldLoad(browser, first);
    }
    targets.push(first);

    const base = targets[0];
    if (!base) throw new Error('no baseline');
    const ms = (xs: number[]) => (xs.length ? median(xs).toFixed(0) : '—');
    const max = (xs: number[]) => (xs.length ? Math.max(...xs).toFixed(0) : '—');
    printTable(
      [
        'page (cold loads)',
        'cold median ms',
        'cold max ms',
        'warm median ms',
        'warm max ms',
        'cold median / sign-in',
        'graphql median ms',
      ],
      targets.map((t) => [
        `${t.name} (${t.cold.length})`,
        ms(t.cold),
        max(t.cold),
        ms(t.warm),
        max(t.warm),
        (median(t.cold) / median(base.cold)).toFixed(2),
        ms(t.graphql),
      ]),
    );
  } finally {
    await browser?.close();
    for (const s of servers) await stop(s.child);
    if (!values.keep) await dropBenchSchema(reference);
    await dropBenchSchema(empty);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
