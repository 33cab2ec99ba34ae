// bench:abuse (issue 17's proof): normal storefront traffic at a fixed rate, alone, beside hostile
// traffic, and while Redis and then PostgreSQL are paused, against a gateway child process built as
// `recs serve` builds it (bounded pool, breaker on every Redis connection). Redis is a redis-server
// of the bench's own (paused with SIGSTOP); PostgreSQL is the shared server behind a TCP proxy that
// the bench freezes (connections stay open, nothing is answered), as test/gateway/pg-timeouts does.
//
//   npm run bench:abuse                     reference store (180,484 customers, 4,182 products), 60 s
//                                           phases, 120 s pauses, 300 req/s of normal traffic
//   npm run bench:abuse -- --small --short  3,000 customers, 500 products, 15 s phases, 20 s pauses
//   --rate N (normal req/s), --hostile-rate N, --over-limit-rate N, --no-pauses (phases 1 and 2 only)
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config/config';
import { migrate } from '../../src/db/migrator';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { startOwnRedis } from '../../test/support/own-redis';
import { startTcpProxy } from '../../test/support/tcp-proxy';
import { seedCacheTables } from '../support/cache-seed';
import { GATEWAY_SCRIPT, pick, startServer, stop } from '../support/serving-harness';
import { storefrontMix } from '../support/storefront-mix';
import { hostileTraffic } from './hostile';
import { printReport, type PhaseRow } from './report';
import { runStream, type StreamOptions, type StreamResult } from './stream';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SMALL = flag('--small');
const SHORT = flag('--short');
/** Phases 1 and 2 only (investigating the abuse phase). */
const NO_PAUSES = flag('--no-pauses');
const SIZE = SMALL ? { customers: 3_000, products: 500 } : { customers: 180_484, products: 4_182 };
const PHASE_S = SHORT ? 15 : 60;
const PAUSE_S = SHORT ? 20 : 120;
/** Normal traffic runs this long before a pause and after it, so no request is cut off mid-pause. */
const EDGE_S = 5;
const RATE = num('--rate', 300);
const HOSTILE_RATE = num('--hostile-rate', 300);
const OVER_LIMIT_RATE = num('--over-limit-rate', 200);
/** The over-limit client's key may send this many requests a second (RATE_LIMIT_PER_KEY). */
const PER_KEY_LIMIT = 100;
/** Normal traffic's keys, one per storefront server: RATE / 4 = 75 req/s a key, under PER_KEY_LIMIT. */
const STOREFRONT_SERVERS = 4;
const HOT_CAP_MB = 64;
/** Far above the gateway's bounds (about 5 s a query to a hung PostgreSQL): a timeout is an unanswered request. */
const TIMEOUT_S = 30;

async function usedMemoryMb(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN) / 1024 / 1024;
}

/** Keys whose name holds an id of the hostile traffic's unknown customers/products. */
async function ghostKeys(redis: Redis): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', '*ghost-*', 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

async function waitReady(url: string, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const status = await fetch(`${url}/ready`)
      .then(async (r) => ((await r.json()) as { status: string }).status)
      .catch(() => 'unreachable');
    if (status === 'ready') return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`gateway not ready ${timeoutMs} ms after the pause`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const stamp = Date.now().toString(36);
  const schema = `bench_abuse_${stamp}`;
  const prefix = `bench-abuse-${stamp}`;
  const config = loadConfig(process.env, { DATABASE_SCHEMA: schema, QUEUE_PREFIX: prefix });
  const own = await startOwnRedis();
  const real = new URL(config.database.url);
  const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) }, 'postgresql');
  const proxied = new URL(config.database.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const admin = new Pool({ connectionString: config.database.url, max: 2 });
  const pool = new Pool({ connectionString: config.database.url, max: 2, options: `-c search_path="${schema}"` });
  const redis = new Redis(own.url);
  let gatewayChild: Awaited<ReturnType<typeof startServer>>['child'] | null = null;
  try {
    await migrate(admin, schema);
    const { users, products } = await seedCacheTables(pool, redis, prefix, SIZE);
    // A storefront's servers call with secret keys (ingest: they read and record events), as
    // README's set-up says; each key stays under the per-key limit the over-limit client exceeds.
    const storefrontKeys: string[] = [];
    for (let i = 0; i < STOREFRONT_SERVERS; i++)
      storefrontKeys.push((await createApiKey(pool, 'ingest', `bench storefront server ${i + 1}`)).key);
    const overLimitKey = (await createApiKey(pool, 'read', 'bench over-limit client')).key;
    process.stdout.write(
      `seeded ${users.length} customers, ${products.length} products (schema ${schema}); normal ${RATE} req/s over ${STOREFRONT_SERVERS} storefront keys, hostile ${HOSTILE_RATE} req/s, over-limit client ${OVER_LIMIT_RATE} req/s against a ${PER_KEY_LIMIT} req/s key limit\n`,
    );
    const gateway = await startServer(GATEWAY_SCRIPT, {
      BENCH_REQUEST_PATH: '1',
      DATABASE_URL: proxied.toString(),
      DATABASE_SCHEMA: schema,
      REDIS_URL: own.url,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'fatal',
      NODE_ENV: 'production',
      SCHEDULES_ENABLED: 'false',
      // Every client is 127.0.0.1: the per-IP limit would count the normal and hostile traffic as one.
      RATE_LIMIT_PER_IP: '1000000000',
      RATE_LIMIT_PER_KEY: String(PER_KEY_LIMIT),
      HOT_LAYER_MAX_MB: String(HOT_CAP_MB),
    });
    gatewayChild = gateway.child;
    const base: Omit<StreamOptions, 'rate' | 'duration'> = { timeoutSeconds: TIMEOUT_S };
    let phaseNo = 0;
    const normal = (duration: number) => {
      phaseNo += 1;
      const next = storefrontMix(users, products, `abuse-${stamp}-${phaseNo}`);
      return runStream(gateway.url, next, { ...base, keys: storefrontKeys, rate: RATE, duration });
    };
    const rows: PhaseRow[] = [];
    const acknowledged: string[] = [];
    const phase = async (name: string, run: () => Promise<StreamResult[]>, names: string[], target: number[]) => {
      const before = await usedMemoryMb(redis);
      const results = await run();
      const after = await usedMemoryMb(redis);
      results.forEach((r, i) => {
        acknowledged.push(...r.acknowledged);
        rows.push({
          phase: name,
          stream: names[i] ?? '',
          target: target[i] ?? 0,
          result: r,
          memoryMb: [before, after],
        });
      });
    };

    process.stdout.write(`warm-up: ${EDGE_S * 2} s of normal traffic (not measured)\n`);
    // Its events count too: they are in the events table like the phases' own.
    acknowledged.push(...(await normal(EDGE_S * 2)).acknowledged);

    process.stdout.write(`phase 1: normal traffic alone, ${PHASE_S} s\n`);
    await phase('1 unloaded', async () => [await normal(PHASE_S)], ['normal'], [RATE * PHASE_S]);

    process.stdout.write(`phase 2: normal traffic beside hostile traffic, ${PHASE_S} s\n`);
    await phase(
      '2 under abuse',
      () =>
        Promise.all([
          normal(PHASE_S),
          runStream(
            gateway.url,
            (() => {
              const next = hostileTraffic(users, products);
              return () => ({ kind: 'hostile' as const, body: next(), eventIds: [] });
            })(),
            { ...base, rate: HOSTILE_RATE, duration: PHASE_S },
          ),
          runStream(
            gateway.url,
            () => ({ kind: 'recommendations' as const, body: recommendationsBody(pick(users)), eventIds: [] }),
            { ...base, rate: OVER_LIMIT_RATE, duration: PHASE_S, keys: [overLimitKey] },
          ),
        ]),
      ['normal', 'hostile', 'over-limit client'],
      [RATE * PHASE_S, HOSTILE_RATE * PHASE_S, OVER_LIMIT_RATE * PHASE_S],
    );
    const ghosts = await ghostKeys(redis);

    const paused = async (name: string, pause: () => void, resume: () => void) => {
      const total = PAUSE_S + 2 * EDGE_S;
      process.stdout.write(`${name}: ${PAUSE_S} s paused inside ${total} s of normal traffic\n`);
      let ready = 0;
      await phase(
        name,
        async () => {
          const timers = [setTimeout(pause, EDGE_S * 1000), setTimeout(resume, (EDGE_S + PAUSE_S) * 1000)];
          try {
            return [await normal(total)];
          } finally {
            timers.forEach(clearTimeout);
            resume();
            ready = await waitReady(gateway.url);
          }
        },
        ['normal'],
        [RATE * total],
      );
      process.stdout.write(`  /ready said ready ${(ready / 1000).toFixed(1)} s after the run ended\n`);
    };
    if (!NO_PAUSES)
      await paused(
        '3 Redis paused',
        () => {
          own.pause();
        },
        () => {
          own.resume();
        },
      );
    if (!NO_PAUSES)
      await paused(
        '4 PostgreSQL paused',
        () => {
          proxy.pause();
        },
        () => {
          proxy.resume();
        },
      );

    const { rows: stored } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE event_id = ANY($1::text[])`,
      [acknowledged],
    );
    const { rows: all } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE event_id LIKE $1`, [
      `abuse-${stamp}-%`,
    ]);
    printReport(rows, {
      acknowledged: acknowledged.length,
      storedOfAcknowledged: Number(stored[0]?.n ?? 0),
      storedAll: Number(all[0]?.n ?? 0),
      ghostKeys: ghosts,
      hotCapMb: HOT_CAP_MB,
    });
  } finally {
    if (gatewayChild) await stop(gatewayChild);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    redis.disconnect();
    await own.stop();
    await proxy.close();
    await pool.end();
    await admin.end();
  }
}

function recommendationsBody(userId: string): string {
  return JSON.stringify({
    query: `query Recommendations($userId: ID!) { recommendations(userId: $userId) { items { product { id } } source } }`,
    variables: { userId },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
