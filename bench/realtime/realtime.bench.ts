// Real-time benchmark (issue 15): what session-aware re-ranking costs and what it buys.
//   1. Serving: simulated shoppers (customers drawn over the whole store, 10% anonymous sessions when
//      the gateway takes a sessionId; 8% of requests record a view, cart or purchase) against the
//      gateway with REALTIME_RERANKING on and off, in alternating rounds of the same run.
//   2. Freshness: meanwhile a probe records a view for an untouched customer and polls until an
//      answer reflects it (on the same gateway, and every other probe through a second one).
//   3. Memory: gateway RSS and the bench's Redis keys before and after the measured rounds.
//   4. Quality: Online Retail's last 30 days replayed as a stream (stream-replay.ts).
//
//   npm run bench:realtime                 reference size (180,484 customers, 4,182 products)
//   npm run bench:realtime -- --small      3,000 customers, 2,000 products, short rounds (development)
//   BENCH_ROUNDS (3), BENCH_DURATION (20 s), BENCH_WARMUP (10 s), BENCH_CUSTOMERS, BENCH_PRODUCTS,
//   BENCH_QUALITY=0 (skip part 4), BENCH_LOAD=0 (skip parts 1-3)
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config/config';
import { migrate } from '../../src/db/migrator';
import { deleteRedisPrefix } from '../../src/infra/redis-prefix';
import { datasetPath } from '../../test/support/datasets';
import { present } from '../support/present';
import { median, printTable } from '../support/serving-harness';
import { probeFigures } from './freshness-probe';
import { familyGrowth } from './redis-memory';
import { runServingLoad, type LoadFigures, type LoadSize } from './serving-load';
import { runStreamReplay, type Comparison, type ReplayFigures } from './stream-replay';

const { values } = parseArgs({ options: { small: { type: 'boolean', default: false } } });
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SIZE: LoadSize = {
  customers: num('BENCH_CUSTOMERS', values.small ? 3_000 : 180_484),
  products: num('BENCH_PRODUCTS', values.small ? 2_000 : 4_182),
  rounds: num('BENCH_ROUNDS', values.small ? 2 : 3),
  duration: num('BENCH_DURATION', values.small ? 8 : 20),
  warmup: num('BENCH_WARMUP', values.small ? 3 : 10),
  connections: 10,
  probeTimeoutMs: 2_000,
};

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : `> ${SIZE.probeTimeoutMs}`);
const f4 = (x: number) => x.toFixed(4);
const interval = (c: [number, number, number]) => `${f4(c[0])} (${f4(c[1])}-${f4(c[2])})`;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

function loadRows(load: LoadFigures): (string | number)[][] {
  const med = (rows: typeof load.on, f: (s: (typeof load.on)[number]) => number) => median(rows.map(f));
  const ratios = load.on.map((s, i) => s.rps / present(load.off[i], `off round ${i}`).rps);
  const rows: (string | number)[][] = [
    [
      'throughput, req/s (median of rounds)',
      med(load.on, (s) => s.rps).toFixed(0),
      med(load.off, (s) => s.rps).toFixed(0),
      `${median(ratios).toFixed(2)}x (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
      'ratio >= 0.8',
    ],
    ['p50 ms', med(load.on, (s) => s.p50).toFixed(2), med(load.off, (s) => s.p50).toFixed(2), '', ''],
    [
      'p99 ms',
      med(load.on, (s) => s.p99).toFixed(2),
      med(load.off, (s) => s.p99).toFixed(2),
      `${(med(load.on, (s) => s.p99) / med(load.off, (s) => s.p99)).toFixed(2)}x`,
      '',
    ],
    [
      'server CPU µs/request',
      med(load.on, (s) => s.cpuUsPerReq).toFixed(0),
      med(load.off, (s) => s.cpuUsPerReq).toFixed(0),
      `${(med(load.on, (s) => s.cpuUsPerReq) / med(load.off, (s) => s.cpuUsPerReq)).toFixed(2)}x`,
      '',
    ],
    [
      "response-cache hits (the probe's polls included)",
      `${med(load.on, (s) => s.hitPercent ?? 0).toFixed(1)}%`,
      `${med(load.off, (s) => s.hitPercent ?? 0).toFixed(1)}%`,
      '',
      '',
    ],
  ];
  const same = probeFigures(load.probesOn.filter((p) => !p.crossGateway));
  const cross = probeFigures(load.probesOn.filter((p) => p.crossGateway));
  const control = probeFigures(load.probesOff);
  rows.push(
    [
      'event-to-visible, same gateway: p50 / p99 / max ms',
      `${ms(same.p50)} / ${ms(same.p99)} / ${ms(same.max)} (${same.visible}/${same.probes} seen)`,
      `${control.visible}/${control.probes} seen (control)`,
      '',
      'p99 < 1000 ms',
    ],
    [
      'event-to-visible, through a second gateway: p50 / p99 / max ms',
      `${ms(cross.p50)} / ${ms(cross.p99)} / ${ms(cross.max)} (${cross.visible}/${cross.probes} seen)`,
      '-',
      '',
      'p99 < 1000 ms',
    ],
  );
  const m = load.memory;
  const growth = familyGrowth(m.prefix[0], m.prefix[1]);
  const grown = growth.reduce((s, g) => s + g.bytes, 0);
  const per = m.activeSubjects ? grown / m.activeSubjects : 0;
  rows.push(
    [
      'gateway RSS MB, before -> after the rounds',
      `${m.rssOnMb[0].toFixed(0)} -> ${m.rssOnMb[1].toFixed(0)}`,
      `${m.rssOffMb[0].toFixed(0)} -> ${m.rssOffMb[1].toFixed(0)}`,
      '',
      '',
    ],
    [
      `bench's Redis keys, growth over the rounds (${m.activeSubjects} new active subjects)`,
      `${mb(grown)} MB, ${per.toFixed(0)} bytes/subject; ${growth.map((g) => `${g.family}: ${g.keys >= 0 ? '+' : ''}${g.keys} keys ${mb(g.bytes)} MB`).join('; ') || 'nothing'}`,
      'shared',
      '',
      '',
    ],
    [
      'Redis used_memory (whole instance, shared machine) MB',
      `${mb(m.usedMemory[0])} -> ${mb(m.usedMemory[1])}`,
      '',
      '',
      '',
    ],
  );
  return rows;
}

function replayRows(q: ReplayFigures): (string | number)[][] {
  const row = (what: string, c: Comparison, off: string) => [
    `${what} (${c.invoices} invoices, ${c.customers} customers)`,
    interval(c.on),
    `${off} ${interval(c.off)}`,
    `${c.diff[0] >= 0 ? '+' : ''}${interval(c.diff)}`,
    '',
  ];
  return [
    row('next-purchase nDCG@10, customers seen by the batch', q.seen, 'batch-only'),
    row('nDCG@10, customers unseen by the batch, 2nd+ invoice', q.unseenLater, 'popularity'),
    row('nDCG@10, unseen customers, 1st invoice (nothing recorded yet)', q.unseenFirst, 'popularity'),
  ];
}

async function main(): Promise<void> {
  const rows: (string | number)[][] = [];
  if (process.env.BENCH_LOAD !== '0') {
    const stamp = Date.now().toString(36);
    const schema = `bench_realtime_${stamp}`;
    const prefix = `bench-realtime-${stamp}`;
    const config = loadConfig(process.env, { DATABASE_SCHEMA: schema, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' });
    const admin = new Pool({ connectionString: config.database.url, max: 2 });
    const pool = new Pool({ connectionString: config.database.url, max: 2, options: `-c search_path="${schema}"` });
    const redis = new Redis(config.redis.url);
    try {
      await migrate(admin, schema);
      const env = {
        DATABASE_SCHEMA: schema,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        SCHEDULES_ENABLED: 'false',
        // One client address at thousands of requests a second: the limiter still counts each one.
        RATE_LIMIT_PER_IP: '1000000000',
      };
      const load = await runServingLoad(config, pool, redis, env, SIZE);
      printTable(
        [
          'round',
          'req/s',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'requests',
          'errors/non-2xx',
          'CPU µs/req',
          'RSS MB',
          'cache hits',
        ],
        [...load.on, ...load.off].map((s) => [
          s.name,
          s.rps.toFixed(0),
          s.p50.toFixed(2),
          s.p90.toFixed(2),
          s.p99.toFixed(2),
          s.requests,
          `${s.errors}/${s.non2xx}`,
          s.cpuUsPerReq.toFixed(0),
          s.rssMb.toFixed(0),
          `${(s.hitPercent ?? 0).toFixed(1)}%`,
        ]),
      );
      rows.push(...loadRows(load));
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await deleteRedisPrefix(config.redis.url, prefix);
      redis.disconnect();
      await pool.end();
      await admin.end();
    }
  }
  const file = datasetPath('online-retail');
  if (process.env.BENCH_QUALITY === '0') process.stdout.write('quality replay skipped (BENCH_QUALITY=0)\n');
  else if (!file)
    process.stdout.write('quality replay skipped: the Online Retail data set is absent (set ONLINE_RETAIL_PATH)\n');
  else {
    process.stdout.write(`quality: replaying the last 30 days of ${file}\n`);
    const q = await runStreamReplay(file);
    process.stdout.write(
      `trained on ${q.lines.trained} order lines in ${q.trainSeconds.toFixed(0)} s (import + pipeline); replayed ${q.lines.window} purchase lines in ${q.replaySeconds.toFixed(0)} s; batch-only answers' sources: ${JSON.stringify(q.offSources)}\n`,
    );
    rows.push(...replayRows(q));
  }
  process.stdout.write(
    `\nsize: ${SIZE.customers} customers, ${SIZE.products} products; ${SIZE.rounds} rounds of ${SIZE.duration} s each way\n`,
  );
  printTable(['measure', 're-ranking on', 're-ranking off (batch-only)', 'on vs off', 'goal'], rows);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
