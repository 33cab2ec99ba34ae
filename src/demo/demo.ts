// `npm run demo`: the whole product on one machine in one command. Migrates, loads a store (the
// Online Retail file when present, else a synthetic one), starts a worker process and the
// gateway, runs the pipeline with live progress, shows real answers, and serves until Ctrl-C.
import { existsSync } from 'node:fs';
import { buildServices } from '../app/services';
import { startGateway } from '../app/start-gateway';
import type { Config } from '../config/config';
import { migrate } from '../db/migrator';
import { createApiKey } from '../gateway/auth/api-keys';
import { generateSyntheticStore } from '../generate/synthetic-store';
import { writeSyntheticStore } from '../generate/synthetic-store-writer';
import { importOnlineRetail } from '../importers/online-retail/online-retail-importer';
import { createLogger } from '../infra/logger';
import { createProgress, waitForRun } from '../terminal/progress';
import { Shutdown } from '../infra/shutdown';
import { RunAlreadyActiveError, type PipelineRunView } from '../pipeline/pipeline-service';
import { exampleQueries, runExample } from './example-queries';
import { spawnWorkerProcess } from './worker-child';

const DEMO_KEY_NAME = 'demo dashboard';
const say = (text: string) => process.stdout.write(`${text}\n`);
const n = (x: number) => x.toLocaleString('en-US');

export interface DemoOptions {
  dataset: string;
  synthetic: { customers: number; products: number; interactions: number };
}

async function loadStore(services: ReturnType<typeof buildServices>, opts: DemoOptions): Promise<void> {
  const { db, config } = services;
  const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM order_items');
  const existing = rows[0]?.n ?? 0;
  if (existing > 0) {
    say(`     ${n(existing)} order lines already in the database: using them`);
  } else if (existsSync(opts.dataset)) {
    const s = await importOnlineRetail(db, opts.dataset, { progress: createProgress() });
    say(
      `     ${opts.dataset}: ${n(s.purchases)} purchases, ${n(s.returns)} returns, ${n(s.skippedNoCustomer)} rows without a customer and ${n(s.skippedNonProduct)} postage/fee rows skipped, in ${s.seconds.toFixed(1)} s`,
    );
  } else {
    say(`     ${opts.dataset} not found: generating a synthetic store`);
    const store = generateSyntheticStore({ ...opts.synthetic, seed: config.engine.seed });
    await writeSyntheticStore(db, store, { progress: createProgress() });
    say(
      `     ${n(store.customers.length)} customers, ${n(store.products.length)} products, ${n(store.lines.count)} order lines`,
    );
  }
}

export async function runDemo(config: Config, opts: DemoOptions): Promise<void> {
  const shutdownRef: { current?: Shutdown } = {};
  try {
    await demo(config, opts, shutdownRef);
  } catch (err) {
    // Ctrl-C mid-way closes the connections under the running steps: that is not a failure.
    if (!shutdownRef.current?.started) throw err;
  }
}

async function demo(config: Config, opts: DemoOptions, shutdownRef: { current?: Shutdown }): Promise<void> {
  // The demo talks to a person: logs only warnings unless LOG_LEVEL asks for more detail.
  const quiet = config.logLevel === 'info' ? 'warn' : config.logLevel;
  const services = buildServices(config, { logger: createLogger({ logLevel: quiet }, 'demo') });
  const { db, pipeline } = services;
  const shutdown = new Shutdown(services.logger, config.worker.shutdownTimeoutMs);
  shutdownRef.current = shutdown;
  shutdown.add('services', () => services.close());
  shutdown.listen();

  say('1/5  database');
  const migrated = await migrate(db.pool, config.database.schema);
  say(`     ${migrated.applied.length} migration(s) applied, ${migrated.alreadyApplied.length} already there`);

  say('2/5  store data');
  await loadStore(services, opts);

  say('3/5  worker process and gateway');
  const worker = await spawnWorkerProcess(config, { LOG_LEVEL: quiet });
  const gateway = await startGateway(services);
  const { url } = await gateway.listen(config.http.port, config.http.host);
  // Stop taking requests first, then let the worker finish its job, then close connections.
  shutdown.prepend('worker process', () => worker.stop()).prepend('gateway', () => gateway.close());
  say(`     worker process ${worker.pid}; GraphQL at ${url}/graphql`);

  say('4/5  pipeline run');
  let run: PipelineRunView;
  try {
    run = await pipeline.startRun({ trigger: 'demo' });
  } catch (err) {
    if (!(err instanceof RunAlreadyActiveError)) throw err;
    say(`     run ${err.activeRunId} is already active: following it`);
    const active = await pipeline.getRun(err.activeRunId);
    if (!active) throw new Error(`run ${err.activeRunId} was active a moment ago and is gone`, { cause: err });
    run = active;
  }
  const final = await waitForRun(pipeline, run.id);
  if (final.status !== 'succeeded') {
    say(`pipeline run ${run.id} ${final.status}: ${final.error ?? ''}`);
    process.exitCode = 1;
    await shutdown.run('demo run failed');
    return;
  }

  say('5/5  example queries');
  for (const q of await exampleQueries(db)) {
    const vars = Object.keys(q.variables).length ? `\nvariables: ${JSON.stringify(q.variables)}` : '';
    say(`\n# ${q.title}\n${q.query}${vars}`);
    say(JSON.stringify(await runExample(`${url}/graphql`, q), null, 2));
  }
  // A fresh admin key for the person at the terminal; the previous demo's key stops working.
  await db.pool.query(`UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL`, [DEMO_KEY_NAME]);
  const { key } = await createApiKey(db.pool, 'admin', DEMO_KEY_NAME);
  say(`\nServing at ${url}/graphql (also /health, /ready, /metrics, /admin/queues). Press Ctrl-C to stop.`);
  say(`Sign in to the dashboard with this admin key (made for this demo, shown once): ${key}`);
  say(`Dashboard: ${url}/dashboard/`);
}
