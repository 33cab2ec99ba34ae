// Serving benchmark: the gateway's `recommendations` query (with product fields) against a bare
// Apollo Server answering a one-field query from one Redis GET, side by side in one run, with
// autocannon at 10 connections. Customers are drawn at random from the cache for every request.
// Each round also measures the storefront mix (BENCH_MIX=0 leaves it out): 65% recommendations,
// 25% similarItems, 5% rankItems (10 products), 5% recordEvents (one event), beside the same
// round's bare figure.
//
//   npm run bench:serving            (BENCH_DURATION=10 BENCH_CUSTOMERS=3000 BENCH_PRODUCTS=2000 BENCH_ROUNDS=3)
//   BENCH_EXPERIMENT=1 npm run bench:serving   adds the gateway with an experiment running, in the same rounds
//
// Each server runs in its own child process; both are warmed with one request per customer, then
// BENCH_WARMUP (5) s under the measurement's load, then measured in alternating rounds. A last run of the gateway without its response cache is
// printed for information (it shows what the hot layer alone costs).
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config/config';
import { migrate } from '../../src/db/migrator';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { scoredEntries, seedCacheTables } from '../support/cache-seed';
import { present } from '../support/present';
import { RECOMMENDATIONS_QUERY, SIMILAR_QUERY, storefrontMix } from '../support/storefront-mix';
import {
  GATEWAY_SCRIPT,
  measure as measureRun,
  median,
  pick,
  startServer,
  stop,
  warm as warmAll,
  type Body,
  type Server,
  type Summary,
} from '../support/serving-harness';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
/** BENCH_EXPERIMENT=1 adds a third server: the gateway with an A/B experiment running on `recommendations`. */
const EXPERIMENT = process.env.BENCH_EXPERIMENT === '1';
/** The reference store has 4,182 products: BENCH_PRODUCTS=4182 draws them over the whole store. */
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 2000);
const CONNECTIONS = 10;

const BARE_QUERY = `query Cached($key: String!) { cached(key: $key) }`;

const MIX = process.env.BENCH_MIX !== '0';
/** The ingest key the mix's recordEvents calls carry (made after migration). */
const INGEST = { key: '' };

async function seed(pool: Pool, redis: Redis, prefix: string): Promise<string[]> {
  const { users, lists } = await seedCacheTables(pool, redis, prefix, { customers: CUSTOMERS, products: PRODUCTS });
  // The baseline's data: one Redis string per customer (its list as JSON).
  const pipe = redis.pipeline();
  users.forEach((u, i) => {
    pipe.set(`${prefix}:bare:${u}`, JSON.stringify(scoredEntries(present(lists[i], 'a customer list'))), 'EX', 3600);
  });
  await pipe.exec();
  return users;
}

let mixRuns = 0;
/** The storefront mix's request bodies (bench/support/storefront-mix.ts, the one bench:abuse sends). */
function mixBody(users: string[], products: string[]): () => Body {
  // Event ids stay unique over every run of the bench, so no recordEvents call is a duplicate.
  mixRuns += 1;
  const next = storefrontMix(users, products, `mix-${process.pid}-${mixRuns}`);
  return () => {
    const { body, kind } = next();
    return { body, kind };
  };
}

function bodyFor(kind: 'gateway' | 'bare', users: string[], prefix: string): () => string {
  return kind === 'gateway'
    ? () => JSON.stringify({ query: RECOMMENDATIONS_QUERY, variables: { userId: pick(users) } })
    : () => JSON.stringify({ query: BARE_QUERY, variables: { key: `${prefix}:bare:${pick(users)}` } });
}

function warm(url: string, users: string[], body: (u: string) => string): Promise<void> {
  return warmAll(url, users, body, CONNECTIONS);
}

function measure(
  name: string,
  server: Server,
  kind: 'gateway' | 'bare',
  makeBody: () => Body,
  duration = DURATION,
): Promise<Summary> {
  return measureRun(name, server, makeBody, {
    connections: CONNECTIONS,
    duration,
    ingestKey: INGEST.key,
    gateway: kind === 'gateway',
  });
}

function print(rows: Summary[]): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  process.stdout.write(
    `${line(['server', 'req/s (mean)', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'requests', 'errors/non-2xx', 'server CPU µs/req', 'server RSS MB', 'response-cache hits'])}\n`,
  );
  process.stdout.write(`${line(Array<string>(11).fill('---'))}\n`);
  const ms = (x: number) => x.toFixed(2);
  for (const s of rows)
    process.stdout.write(
      `${line([s.name, s.rps.toFixed(0), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), s.requests, `${s.errors}/${s.non2xx}`, s.cpuUsPerReq.toFixed(0), s.rssMb.toFixed(0), s.hitPercent === null ? '-' : `${s.hitPercent.toFixed(1)}%`])}\n`,
    );
}

/**
 * The storefront mix beside the bare server of the same round (about the same background load):
 * throughput, p99 and CPU per request, each also as a ratio, since absolute figures move with load.
 */
function printMix(mixRows: Summary[], bare: Summary[]): void {
  const median = (xs: number[]) => present([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)], 'a median');
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const rows = mixRows.map((m, i) => {
    const b = present(bare[i], `bare round ${i}`);
    return [b.rps, m.rps, m.rps / b.rps, b.p99, m.p99, m.p99 / b.p99, b.cpuUsPerReq, m.cpuUsPerReq] as const;
  });
  process.stdout.write(
    `\nstorefront mix (65% recommendations, 25% similarItems, 5% rankItems, 5% recordEvents) beside the bare server, per round:\n`,
  );
  process.stdout.write(
    `${line(['round', 'bare req/s', 'mix req/s', 'mix/bare (goal >= 2.0x)', 'bare p99 ms', 'mix p99 ms (goal <= 10)', 'mix/bare p99', 'bare CPU µs/req', 'mix CPU µs/req'])}\n`,
  );
  process.stdout.write(`${line(Array<string>(9).fill('---'))}\n`);
  rows.forEach((r, i) => {
    process.stdout.write(
      `${line([i + 1, r[0].toFixed(0), r[1].toFixed(0), `${r[2].toFixed(2)}x`, r[3].toFixed(2), r[4].toFixed(2), `${r[5].toFixed(2)}x`, r[6].toFixed(0), r[7].toFixed(0)])}\n`,
    );
  });
  const col = (k: number) => median(rows.map((r) => r[k] as number));
  process.stdout.write(
    `${line(['median', col(0).toFixed(0), col(1).toFixed(0), `${col(2).toFixed(2)}x`, col(3).toFixed(2), col(4).toFixed(2), `${col(5).toFixed(2)}x`, col(6).toFixed(0), col(7).toFixed(0)])}\n`,
  );
  // Which kind holds the mix back: each kind's latency within the mix, per round.
  process.stdout.write(`\nstorefront mix by kind, per round: requests, p50 / p99 ms\n`);
  const kinds = ['recommendations', 'similarItems', 'rankItems', 'recordEvents'];
  process.stdout.write(`${line(['round', ...kinds])}\n${line(Array<string>(kinds.length + 1).fill('---'))}\n`);
  mixRows.forEach((m, i) => {
    const cell = (k: string) => {
      const s = m.byKind[k];
      return s ? `${s.count}, ${s.p50.toFixed(2)} / ${s.p99.toFixed(2)}` : '-';
    };
    process.stdout.write(`${line([i + 1, ...kinds.map(cell)])}\n`);
  });
}

/**
 * The experiment's cost in one table: per round, throughput and server CPU per request of the
 * gateway with a running experiment beside the same round's gateway without one, and the medians.
 */
function printExperimentCost(withX: Summary[], without: Summary[]): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const median = (xs: number[]) => present([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)], 'a median');
  const rows = withX.map((w, i) => {
    const o = present(without[i], `gateway round ${i}`);
    return { round: i + 1, o, w, rps: w.rps / o.rps, cpu: w.cpuUsPerReq / o.cpuUsPerReq };
  });
  process.stdout.write(
    `\nexperiment running vs none (same rounds)\n${line(['round', 'req/s without', 'req/s with', 'throughput with/without', 'CPU µs/req without', 'CPU µs/req with', 'CPU with/without'])}\n${line(Array<string>(7).fill('---'))}\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${line([r.round, r.o.rps.toFixed(0), r.w.rps.toFixed(0), r.rps.toFixed(2), r.o.cpuUsPerReq.toFixed(1), r.w.cpuUsPerReq.toFixed(1), r.cpu.toFixed(2)])}\n`,
    );
  process.stdout.write(
    `${line(['median', median(rows.map((r) => r.o.rps)).toFixed(0), median(rows.map((r) => r.w.rps)).toFixed(0), `${median(rows.map((r) => r.rps)).toFixed(2)} (goal >= 0.90)`, median(rows.map((r) => r.o.cpuUsPerReq)).toFixed(1), median(rows.map((r) => r.w.cpuUsPerReq)).toFixed(1), median(rows.map((r) => r.cpu)).toFixed(2)])}\n`,
  );
}

async function main(): Promise<void> {
  const stamp = Date.now().toString(36);
  const schema = `bench_serving_${stamp}`;
  const prefix = `bench-serving-${stamp}`;
  const config = loadConfig(process.env, { DATABASE_SCHEMA: schema, QUEUE_PREFIX: prefix });
  const admin = new Pool({ connectionString: config.database.url, max: 2 });
  const pool = new Pool({ connectionString: config.database.url, max: 2, options: `-c search_path="${schema}"` });
  const redis = new Redis(config.redis.url);
  const children: ChildProcess[] = [];
  try {
    await migrate(admin, schema);
    const users = await seed(pool, redis, prefix);
    INGEST.key = (await createApiKey(pool, 'ingest', 'bench')).key;
    process.stdout.write(`seeded ${users.length} cached customers, ${PRODUCTS} products (schema ${schema})\n`);
    const env = {
      DATABASE_SCHEMA: schema,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SCHEDULES_ENABLED: 'false',
      // One client address at thousands of requests a second: the limiter still counts each one.
      RATE_LIMIT_PER_IP: '1000000000',
    };
    const bare = await startServer('bench/serving/bare-server.ts', env);
    // With BENCH_EXPERIMENT the plain gateway reads the experiments once, before one exists, and never again.
    const gateway = await startServer(
      GATEWAY_SCRIPT,
      EXPERIMENT ? { ...env, EXPERIMENTS_REFRESH_SECONDS: '3600' } : env,
    );
    children.push(bare.child, gateway.child);
    let withExperiment: Awaited<ReturnType<typeof startServer>> | null = null;
    if (EXPERIMENT) {
      // Two variants of the same strategy: the answers are alike, so only the experiment's own
      // work differs (assignment, the variant on the answer and in its id, exposure counting).
      await pool.query(
        `INSERT INTO experiments (name, status, surfaces, variants, control_key, started_at)
         VALUES ('bench', 'RUNNING', '{RECOMMENDATIONS}', $1, 'a', now())`,
        [
          JSON.stringify([
            { key: 'a', name: 'A', share: 50, strategy: { kind: 'BATCH' } },
            { key: 'b', name: 'B', share: 50, strategy: { kind: 'BATCH' } },
          ]),
        ],
      );
      withExperiment = await startServer(GATEWAY_SCRIPT, env);
      children.push(withExperiment.child);
    }

    const sample = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: RECOMMENDATIONS_QUERY, variables: { userId: users[0] } }),
    });
    const sampleJson = (await sample.json()) as { data: { recommendations: { items: unknown[]; source: string } } };
    if (
      sampleJson.data.recommendations.items.length !== 10 ||
      sampleJson.data.recommendations.source !== 'PERSONALIZED'
    ) {
      throw new Error(`unexpected gateway answer: ${JSON.stringify(sampleJson).slice(0, 300)}`);
    }
    process.stdout.write('warming both servers (one request per customer)...\n');
    await warm(bare.url, users, (u) =>
      JSON.stringify({ query: BARE_QUERY, variables: { key: `${prefix}:bare:${u}` } }),
    );
    await warm(gateway.url, users, (u) => JSON.stringify({ query: RECOMMENDATIONS_QUERY, variables: { userId: u } }));
    if (withExperiment)
      await warm(withExperiment.url, users, (u) =>
        JSON.stringify({ query: RECOMMENDATIONS_QUERY, variables: { userId: u } }),
      );
    // Then the same load as the measurement, unmeasured, so neither server is measured while it
    // still digests its warm-up (JIT, the garbage of the first requests).
    process.stdout.write(`steady-state warm-up: ${WARMUP} s each under load\n`);
    await measure('warm-up', bare, 'bare', bodyFor('bare', users, prefix), WARMUP);
    await measure('warm-up', gateway, 'gateway', bodyFor('gateway', users, prefix), WARMUP);

    const products = Array.from({ length: PRODUCTS }, (_, i) => `prod-${i + 1}`);
    if (MIX) {
      // The mix's reads are warmed as the single query is: one similarItems per product.
      await warm(gateway.url, products, (p) => JSON.stringify({ query: SIMILAR_QUERY, variables: { productId: p } }));
      await measure('warm-up', gateway, 'gateway', mixBody(users, products), WARMUP);
    }
    // After the mix's warm-up, whose events dropped cached answers in both gateways (see the rounds).
    if (withExperiment) await measure('warm-up', withExperiment, 'gateway', bodyFor('gateway', users, prefix), WARMUP);
    const mixRows: Summary[] = [];
    const rows: Summary[] = [];
    const experimentRows: Summary[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      process.stdout.write(`round ${round}: ${DURATION} s each, ${CONNECTIONS} connections\n`);
      rows.push(
        await measure(`bare Apollo + Redis GET (round ${round})`, bare, 'bare', bodyFor('bare', users, prefix)),
      );
      rows.push(
        await measure(
          `gateway recommendations (round ${round})`,
          gateway,
          'gateway',
          bodyFor('gateway', users, prefix),
        ),
      );
      // The experiment's gateway right after the plain one, before the mix: the mix's recordEvents
      // make their customers' cached answers stale in every gateway (recent activity), and the
      // plain gateway refills them while it serves the mix. Measured after the mix, the experiment's
      // gateway started each round with fewer cached answers than the plain one had.
      if (withExperiment)
        experimentRows.push(
          await measure(
            `gateway, experiment running (round ${round})`,
            withExperiment,
            'gateway',
            bodyFor('gateway', users, prefix),
          ),
        );
      if (MIX)
        mixRows.push(
          await measure(`gateway storefront mix (round ${round})`, gateway, 'gateway', mixBody(users, products)),
        );
    }
    await stop(gateway.child);
    if (withExperiment) await stop(withExperiment.child);
    const noCache = await startServer(GATEWAY_SCRIPT, { ...env, RESPONSE_CACHE_ENTRIES: '0' });
    children.push(noCache.child);
    await warm(noCache.url, users, (u) => JSON.stringify({ query: RECOMMENDATIONS_QUERY, variables: { userId: u } }));
    const info = await measure(
      'gateway, response cache off (info)',
      noCache,
      'gateway',
      bodyFor('gateway', users, prefix),
    );

    print([...rows, ...mixRows, ...experimentRows, info]);
    // Rounds alternate bare/gateway, so each pair saw about the same background load: compare
    // within pairs and report the median pair (the machine is shared; single rounds are noisy).
    const pairs = Array.from({ length: ROUNDS }, (_, i) => ({
      bare: present(rows[2 * i], `bare round ${i}`),
      gateway: present(rows[2 * i + 1], `gateway round ${i}`),
    }));
    const rpsRatios = pairs.map((p) => p.gateway.rps / p.bare.rps);
    const p99Ratios = pairs.map((p) => p.gateway.p99 / p.bare.p99);
    const cpuRatios = pairs.map((p) => p.gateway.cpuUsPerReq / p.bare.cpuUsPerReq);
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    process.stdout.write(
      `\nthroughput gateway/bare per round: ${fmt(rpsRatios)}; median ${median(rpsRatios).toFixed(2)}x (goal >= 1.0x)\n`,
    );
    process.stdout.write(
      `p99 latency gateway/bare per round: ${fmt(p99Ratios)}; median ${median(p99Ratios).toFixed(2)}x (goal <= 1.0x)\n`,
    );
    process.stdout.write(
      `server CPU per request gateway/bare per round: ${fmt(cpuRatios)}; median ${median(cpuRatios).toFixed(2)}x\n`,
    );
    if (experimentRows.length)
      printExperimentCost(
        experimentRows,
        pairs.map((p) => p.gateway),
      );
    const bareMedian = median(pairs.map((p) => p.bare.rps));
    if (mixRows.length)
      printMix(
        mixRows,
        pairs.map((p) => p.bare),
      );
    process.stdout.write(
      `without the response cache (info): ${(info.rps / bareMedian).toFixed(2)}x the median bare throughput, p99 ${info.p99.toFixed(2)} ms, ${info.cpuUsPerReq.toFixed(0)} µs CPU/req\n`,
    );
  } finally {
    await Promise.all(children.map(stop));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    await pool.end();
    await admin.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
