// GET /health (the process is alive), /ready (PostgreSQL, Redis with each of the gateway's
// connections and its circuit, batch freshness, and for each failing one since when and why) and /metrics.
// Freshness is the served Batch's (src/results defines it), read from memory: no query.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { GuardedRedis } from '../infra/redis-circuit';
import { freshnessDays, isStale, MAX_BATCH_AGE_DAYS, type Batch } from '../results';
import type { GatewayMetrics } from './metrics';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessDeps {
  pool: Pool;
  /** The request connection (hot layer, rate limits, batch version mirror): PINGed by each check. */
  redis: Redis | null;
  /** The gateway's other Redis connections by role (queues, subscriber), reported beside it. */
  otherRedis?: readonly { role: string; client: Redis }[];
  /** The Batch being served. */
  batch: () => Batch;
}

/** One Redis connection as /ready reports it: its state, and its circuit's (unguarded: it has none). */
export interface RedisConnectionState {
  role: string;
  status: string;
  circuit: 'closed' | 'open' | 'unguarded';
  since?: string;
  reason?: string;
}

function connectionState(role: string, client: Redis): RedisConnectionState {
  const state: RedisConnectionState = {
    role,
    status: client.status,
    circuit: client instanceof GuardedRedis ? 'closed' : 'unguarded',
  };
  const view = client instanceof GuardedRedis ? client.circuit.view() : null;
  if (view?.open) {
    state.circuit = 'open';
    if (view.since) state.since = view.since.toISOString();
    if (view.reason) state.reason = view.reason;
  }
  return state;
}

const failingConnection = (c: RedisConnectionState) => c.circuit === 'open' || c.status !== 'ready';

type Check = { ok: boolean; error?: string };
export type Dependency = 'postgres' | 'redis' | 'batch';

/** One failing check: what, since when (first failed check in a row, or the circuit's opening), why. */
export interface Degradation {
  dependency: Dependency;
  since: string;
  reason: string;
}

export interface Readiness {
  status: 'ready' | 'degraded' | 'unavailable';
  checks: Record<string, unknown>;
  degraded: Degradation[];
}

/** Remembers when each dependency's checks began failing (per gateway process). */
export class FailingSince {
  private readonly since = new Map<Dependency, number>();

  constructor(private readonly now: () => number = Date.now) {}

  note(dependency: Dependency, ok: boolean, earliest: Date | null = null): Date | null {
    if (ok) {
      this.since.delete(dependency);
      return null;
    }
    const known = this.since.get(dependency) ?? this.now();
    const first = earliest ? Math.min(known, earliest.getTime()) : known;
    this.since.set(dependency, first);
    return new Date(first);
  }
}

export async function readiness(d: ReadinessDeps, failing = new FailingSince()): Promise<Readiness> {
  const check = async (fn: () => Promise<unknown>): Promise<Check> => {
    try {
      await within(1_000, fn());
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
  const redisClient = d.redis;
  const [postgres, redis] = await Promise.all([
    check(() => d.pool.query('SELECT 1')),
    redisClient ? check(() => redisClient.ping()) : Promise.resolve({ ok: false, error: 'not configured' }),
  ]);
  const served = d.batch();
  let batch: { ok: boolean; version: number; ageDays?: number | null; error?: string } = {
    ok: false,
    version: served.version,
  };
  if (postgres.ok) {
    const now = Date.now();
    const ageDays = freshnessDays(served, now);
    batch = { ok: !isStale(served, now), version: served.version, ageDays };
    if (ageDays === null) batch.error = 'no batch loaded yet: every answer is a fallback';
    else if (!batch.ok) batch.error = `newest batch is ${ageDays} days old (limit ${MAX_BATCH_AGE_DAYS})`;
  }
  // Every connection with its circuit: the queues' can be open while the request one answers.
  const connections = [
    ...(redisClient ? [connectionState('request', redisClient)] : []),
    ...(d.otherRedis ?? []).map((c) => connectionState(c.role, c.client)),
  ];
  const failingOnes = connections.filter(failingConnection);
  const redisCheck: Check & { circuit?: 'open'; connections: RedisConnectionState[] } = { ...redis, connections };
  if (redis.ok && failingOnes.length) {
    redisCheck.ok = false;
    redisCheck.error = failingOnes
      .map((c) => `${c.role} connection ${c.circuit === 'open' ? `circuit open: ${c.reason ?? 'failing'}` : c.status}`)
      .join('; ');
  }
  if (connections[0]?.role === 'request' && connections[0].circuit === 'open') redisCheck.circuit = 'open';
  const status =
    !postgres.ok && !redis.ok ? 'unavailable' : postgres.ok && redisCheck.ok && batch.ok ? 'ready' : 'degraded';
  // An open circuit dates from its opening (the checks only ask once a second, at best).
  const openedAt = failingOnes
    .map((c) => (c.since ? Date.parse(c.since) : NaN))
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => a - b)[0];
  const checks = { postgres, redis: redisCheck, batch };
  const degraded: Degradation[] = [];
  for (const dependency of ['postgres', 'redis', 'batch'] as const) {
    const c: Check = checks[dependency];
    const earliest = dependency === 'redis' && openedAt !== undefined ? new Date(openedAt) : null;
    const since = failing.note(dependency, c.ok, earliest);
    const reason = c.error ?? (dependency === 'batch' ? 'age unknown while PostgreSQL is unavailable' : 'failing');
    if (since) degraded.push({ dependency, since: since.toISOString(), reason });
  }
  return { status, checks, degraded };
}

/** Whether the request carries the metrics token (compared in constant time). */
function hasToken(header: string | undefined, token: string): boolean {
  const sent = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function opsRouter(d: ReadinessDeps & { metrics: GatewayMetrics; metricsToken?: string }): Router {
  const router = Router();
  const failing = new FailingSince();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/ready', async (_req, res) => {
    const result = await readiness(d, failing);
    res.status(result.status === 'unavailable' ? 503 : 200).json(result);
  });
  router.get('/metrics', async (req, res) => {
    if (d.metricsToken !== undefined && !hasToken(req.headers.authorization, d.metricsToken)) {
      res.status(401).setHeader('www-authenticate', 'Bearer').json({
        error: 'UNAUTHENTICATED',
        message: '/metrics needs "Authorization: Bearer <METRICS_TOKEN>"',
      });
      return;
    }
    res.setHeader('content-type', d.metrics.registry.contentType);
    res.send(await d.metrics.registry.metrics());
  });
  return router;
}
