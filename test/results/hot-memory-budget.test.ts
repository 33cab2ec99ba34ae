// The hot layer's memory cap between two readings of Redis's used_memory (bench:abuse overshot it
// by 3% when writes were free between the 5 s readings): the bytes written since the last reading
// count, so a burst of misses stops at the cap, not at the next reading. A Redis of the test's own:
// the shared server's used_memory moves with every other test on the machine.
import { Redis } from 'ioredis';
import { createLogger } from '../../src/infra/logger';
import { HotCache, RedisMemoryBudget } from '../../src/results';
import { startOwnRedis, type OwnRedis } from '../support/own-redis';

const logger = createLogger({ logLevel: 'silent' });
/** How far past the cap Redis may end up: its own tables grow in steps the per-entry count does not see. */
const MARGIN_BYTES = 1024 * 1024;
const HEADROOM_BYTES = 4 * 1024 * 1024;

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1]);
}

describe('RedisMemoryBudget between readings', () => {
  let own: OwnRedis;
  let redis: Redis;

  beforeAll(async () => {
    own = await startOwnRedis();
    redis = new Redis(own.url, { maxRetriesPerRequest: 1 });
    while (redis.status !== 'ready') await new Promise((r) => setTimeout(r, 10));
  });
  afterAll(async () => {
    redis.disconnect();
    await own.stop();
  });

  it('stops a burst of misses at the cap, though no reading comes between', async () => {
    const cap = (await usedMemory(redis)) + HEADROOM_BYTES;
    // No timer: the one reading is the one taken here, as if the burst fell between two polls.
    const budget = new RedisMemoryBudget(redis, cap, logger, 3_600_000);
    await budget.check();
    const hot = new HotCache(redis, 'budget', 600, logger, { mayWrite: (bytes) => budget.take(bytes) });
    const value = { items: Array.from({ length: 25 }, (_, i) => ({ productId: `p-${i}`, score: 1 / (i + 1) })) };
    // About 20 MB of entries offered: five times the headroom.
    const offered = 20_000;
    for (let i = 0; i < offered; i += 500)
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => hot.getOrLoad(1, 'user', `u${i + j}`, () => Promise.resolve(value))),
      );
    await hot.storeMany(1, [{ kind: 'user', id: 'one-more', value }]);
    await redis.ping(); // every write sent before it has been applied

    const used = await usedMemory(redis);
    expect(used).toBeLessThanOrEqual(cap + MARGIN_BYTES);
    expect(hot.stats.skippedWrites).toBeGreaterThan(0);
    // Writes stopped near the cap, not long before it (the count is generous, not wild).
    expect(used).toBeGreaterThan(cap - HEADROOM_BYTES / 2);
    expect(budget.allowsWrites).toBe(false);
    process.stdout.write(
      `hot layer cap ${cap} bytes: Redis at ${used} after ${offered} entries offered (${used - cap} past the cap; margin ${MARGIN_BYTES})\n`,
    );
  });
});
