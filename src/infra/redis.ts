import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/config';
import { GuardedRedis } from './redis-circuit';

/**
 * The kinds of connection:
 * - `worker`: BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must wait
 *   through reconnects); nothing times out, nothing is guarded.
 * - `request`: the gateway's reads (hot layer, batch version, rate limits): fail fast, queue
 *   nothing offline, so the gateway falls back to PostgreSQL.
 * - `producer`: the gateway's queues (webhook enqueues, triggerRetrain, queue counts for /metrics
 *   and the schedules): commands wait for a reconnect, but never longer than the command timeout.
 * Both gateway kinds pass a circuit breaker (src/infra/redis-circuit.ts) with the bounds of
 * src/config (REDIS_COMMAND_TIMEOUT_MS, REDIS_CONNECT_TIMEOUT_MS, REDIS_BREAKER_*).
 */
export function createRedis(config: Pick<Config, 'redis'>, kind: 'worker' | 'request' | 'producer'): Redis {
  const { timeouts, breaker } = config.redis;
  const bounded: RedisOptions = {
    maxRetriesPerRequest: 1,
    connectTimeout: timeouts.connectMs,
    commandTimeout: timeouts.commandMs,
    lazyConnect: false,
  };
  const redis =
    kind === 'worker'
      ? new Redis(config.redis.url, { maxRetriesPerRequest: null, enableReadyCheck: false, lazyConnect: false })
      : new GuardedRedis(
          config.redis.url,
          kind === 'request' ? { ...bounded, enableOfflineQueue: false } : bounded,
          breaker,
        );
  // Connection errors surface through the failing command and /ready; an unhandled 'error' event
  // would otherwise crash the process on every reconnect attempt.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves when the client is ready, rejects after timeoutMs (fail-fast clients queue nothing). */
export function whenReady(redis: Redis, timeoutMs = 3_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
