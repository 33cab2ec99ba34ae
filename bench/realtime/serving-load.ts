// Part 1-3 of bench:realtime: the cache tables seeded at the given size, three gateway processes
// (re-ranking on, a second one on for cross-gateway probes, re-ranking off), each warmed with one
// request per customer, then the shopper mix measured on the "on" and "off" gateways in
// alternating rounds while the freshness probe runs, and the memory the events' state cost.
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Config } from '../../src/config/config';
import { createDatabase } from '../../src/db/database';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createLogger } from '../../src/infra/logger';
import { warmHotLayer } from '../../src/results';
import { CatalogRepository } from '../../src/serving/catalog-repository';
import { seedCacheTables, type SeededStore } from '../support/cache-seed';
import { present } from '../support/present';
import {
  GATEWAY_SCRIPT,
  graphql,
  measure,
  rssMb,
  startServer,
  stop,
  type Server,
  type Summary,
} from '../support/serving-harness';
import { probeTargets, probeWhile, type ProbeResult } from './freshness-probe';
import { prefixBytes, usedMemory, type KeyFamilies } from './redis-memory';
import { recsBody, shopperMix, type ShopperPool } from './shoppers';

export interface LoadSize {
  customers: number;
  products: number;
  rounds: number;
  /** Seconds per measured round. */
  duration: number;
  warmup: number;
  connections: number;
  probeTimeoutMs: number;
}

export interface LoadFigures {
  on: Summary[];
  off: Summary[];
  probesOn: ProbeResult[];
  probesOff: ProbeResult[];
  sessions: boolean;
  memory: {
    activeSubjects: number;
    rssOnMb: [number, number];
    rssOffMb: [number, number];
    prefix: [KeyFamilies, KeyFamilies];
    usedMemory: [number, number];
  };
}

const SESSIONS = 20_000;
const SESSION_SHARE = 0.1;
const PROBE_CUSTOMERS = 2_000;

/**
 * Fills the Redis hot layer for every customer with the pipeline's own warmer, as a run's
 * warm-cache stage does (one request per customer over HTTP takes most of an hour on a loaded
 * machine at the reference size). The warmer takes the top customers by spend, so each customer
 * gets one old purchase line of a product outside their list (before the batch: nothing to exclude).
 */
async function warmHotEntries(config: Config, redis: Redis, store: SeededStore): Promise<number> {
  const db = createDatabase(config, { max: 2 });
  try {
    const products = store.users.map((_, i) => {
      const list = new Set(present(store.lists[i], 'a list'));
      return present(
        store.products.find((p) => !list.has(p)),
        'a product outside the list',
      );
    });
    await db.pool.query(`INSERT INTO customers (id) SELECT unnest($1::text[])`, [store.users]);
    await db.pool.query(
      `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, occurred_at)
       SELECT 'seed-' || u, 'seed-' || u, u, p, 1, 1, '2026-01-01' FROM unnest($1::text[], $2::text[]) AS t(u, p)`,
      [store.users, products],
    );
    const logger = createLogger(config, 'bench');
    const result = await warmHotLayer(
      { config, db, redis, logger, catalog: new CatalogRepository(db.pool) },
      { topFraction: 1 },
    );
    return result.customers;
  } finally {
    await db.close();
  }
}

/** Whether the gateway answers `recommendations(sessionId:)` (the realtime work's API). */
async function takesSessions(url: string): Promise<boolean> {
  try {
    await graphql(url, recsBody({ sessionId: 'bench-probe-session' }));
    return true;
  } catch {
    return false;
  }
}

export async function runServingLoad(
  config: Config,
  pool: Pool,
  redis: Redis,
  env: Record<string, string>,
  size: LoadSize,
): Promise<LoadFigures> {
  const prefix = config.redis.prefix;
  const store = await seedCacheTables(pool, redis, prefix, size);
  const ingestKey = (await createApiKey(pool, 'ingest', 'bench')).key;
  const probeCount = Math.min(PROBE_CUSTOMERS, Math.floor(size.customers / 10));
  const targets = probeTargets(store, probeCount);
  const customers = store.users.slice(0, store.users.length - probeCount);
  process.stdout.write(`seeded ${store.users.length} customers, ${store.products.length} products\n`);
  const t = Date.now();
  const warmed = await warmHotEntries(config, redis, store);
  process.stdout.write(`hot layer warmed for ${warmed} customers in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
  const servers: Server[] = [];
  try {
    const on = await startServer(GATEWAY_SCRIPT, { ...env, REALTIME_RERANKING: 'true' });
    servers.push(on);
    const second = await startServer(GATEWAY_SCRIPT, { ...env, REALTIME_RERANKING: 'true' });
    servers.push(second);
    const off = await startServer(GATEWAY_SCRIPT, { ...env, REALTIME_RERANKING: 'false' });
    servers.push(off);
    const sessions = await takesSessions(on.url);
    const shoppers: ShopperPool = {
      customers,
      sessions: sessions ? Array.from({ length: SESSIONS }, (_, i) => `bench-session-${i + 1}`) : [],
      sessionShare: SESSION_SHARE,
      products: store.products,
    };
    if (!sessions) process.stdout.write('the gateway takes no sessionId: every shopper is a known customer\n');

    const active = new Set<string>();
    const opts = (duration: number) => ({ connections: size.connections, duration, ingestKey, gateway: true });
    // The gateways' response caches fill under the load itself: both have served about as many
    // requests before each of their rounds (the rounds alternate), so neither is favoured.
    await measure('warm-up', on, shopperMix(shoppers, active), opts(size.warmup));
    await measure('warm-up', off, shopperMix(shoppers, active), opts(size.warmup));
    process.stdout.write(`steady-state warm-up: ${size.warmup} s each under the mix\n`);

    const before = {
      rssOn: rssMb(present(on.child.pid, 'pid')),
      rssOff: rssMb(present(off.child.pid, 'pid')),
      prefix: await prefixBytes(redis, prefix),
      used: await usedMemory(redis),
      active: active.size,
    };
    const figures: LoadFigures = {
      on: [],
      off: [],
      probesOn: [],
      probesOff: [],
      sessions,
      memory: {
        activeSubjects: 0,
        rssOnMb: [before.rssOn, 0],
        rssOffMb: [before.rssOff, 0],
        prefix: [before.prefix, before.prefix],
        usedMemory: [before.used, 0],
      },
    };
    const runOn = async (round: number) => {
      const run = measure(`re-ranking on (round ${round})`, on, shopperMix(shoppers, active), opts(size.duration));
      figures.probesOn.push(
        ...(await probeWhile(run, targets, { record: on, second }, ingestKey, size.probeTimeoutMs)),
      );
      figures.on.push(await run);
    };
    const runOff = async (round: number) => {
      const run = measure(`re-ranking off (round ${round})`, off, shopperMix(shoppers, active), opts(size.duration));
      figures.probesOff.push(
        ...(await probeWhile(run, targets, { record: off, second: null }, ingestKey, size.probeTimeoutMs)),
      );
      figures.off.push(await run);
    };
    for (let round = 1; round <= size.rounds; round++) {
      process.stdout.write(`round ${round}: ${size.duration} s each, ${size.connections} connections + 1 probe\n`);
      // On first in odd rounds, off first in even ones: neither always follows the other.
      if (round % 2) {
        await runOn(round);
        await runOff(round);
      } else {
        await runOff(round);
        await runOn(round);
      }
    }
    figures.memory.activeSubjects = active.size - before.active + figures.probesOn.length + figures.probesOff.length;
    figures.memory.rssOnMb[1] = rssMb(present(on.child.pid, 'pid'));
    figures.memory.rssOffMb[1] = rssMb(present(off.child.pid, 'pid'));
    figures.memory.prefix[1] = await prefixBytes(redis, prefix);
    figures.memory.usedMemory[1] = await usedMemory(redis);
    return figures;
  } finally {
    await Promise.all(servers.map((s) => stop(s.child)));
  }
}
