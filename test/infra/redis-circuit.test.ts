// The gateway's Redis circuit, on a real Redis behind a TCP proxy we can freeze: timeouts open it,
// an open circuit refuses commands and whole pipelines at once (they never reach the socket), reply
// errors do not count, and its probe closes it once Redis answers again.
import type { Redis } from 'ioredis';
import type { Config } from '../../src/config/config';
import { loadConfig } from '../../src/config/config';
import { createRedis } from '../../src/infra/redis';
import { GuardedRedis, RedisUnavailableError } from '../../src/infra/redis-circuit';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait-for';

const base = loadConfig(process.env);

function settings(url: string): Pick<Config, 'redis'> {
  return {
    redis: {
      ...base.redis,
      url,
      timeouts: { commandMs: 200, connectMs: 1_000 },
      breaker: { failures: 2, probeMs: 100 },
    },
  };
}

describe('the gateway Redis circuit', () => {
  let proxy: TcpProxy;
  const clients: Redis[] = [];

  beforeAll(async () => {
    const target = new URL(base.redis.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await proxy.close();
  });

  for (const kind of ['request', 'producer'] as const) {
    it(`${kind}: opens after timeouts, refuses at once, closes when Redis answers`, async () => {
      const redis = createRedis(settings(proxy.url), kind);
      clients.push(redis);
      if (!(redis instanceof GuardedRedis)) throw new Error(`a ${kind} connection must be guarded`);
      const { circuit } = redis;
      await waitFor('connected', async () => (await redis.ping().catch(() => null)) === 'PONG', 10_000);
      await waitFor('closed after connecting', () => Promise.resolve(!circuit.isOpen), 10_000);

      // A reply error is Redis answering: it never opens the circuit.
      for (let i = 0; i < 3; i++) await expect(redis.call('no-such-command')).rejects.toThrow(/unknown command/i);
      expect(circuit.isOpen).toBe(false);

      proxy.pause();
      for (let i = 0; i < 2; i++) await expect(redis.get('k')).rejects.toThrow(/timed out/i);
      expect(circuit.view().open).toBe(true);
      expect(circuit.view().reason).toMatch(/timed out/i);

      // Refused without waiting for a reply: the error is the circuit's, not a timeout.
      await expect(redis.get('k')).rejects.toBeInstanceOf(RedisUnavailableError);
      const results = await redis.pipeline().get('a').set('b', '1').exec();
      expect(results!.map(([err]) => err)).toEqual([
        expect.any(RedisUnavailableError),
        expect.any(RedisUnavailableError),
      ]);

      proxy.resume();
      await waitFor('the probe to close the circuit', () => Promise.resolve(!circuit.isOpen), 30_000);
      expect(await redis.ping()).toBe('PONG');
    }, 60_000);
  }
});
