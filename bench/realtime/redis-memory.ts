// What a bench's Redis keys cost: MEMORY USAGE summed over every key under its prefix, by family
// (the key without the prefix and its last ':' segment, e.g. "hot:3:user" for one customer's hot
// entry). The Redis is shared with other work, so the instance's used_memory is for information.
import type { Redis } from 'ioredis';

export type KeyFamilies = Map<string, { keys: number; bytes: number }>;

export async function prefixBytes(redis: Redis, prefix: string): Promise<KeyFamilies> {
  const families: KeyFamilies = new Map();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 2000);
    cursor = next;
    if (!batch.length) continue;
    const pipe = redis.pipeline();
    for (const k of batch) pipe.memory('USAGE', k);
    const answers = (await pipe.exec()) ?? [];
    batch.forEach((key, i) => {
      const [err, n] = answers[i] ?? [null, null];
      if (err) throw err;
      // A key that expired between SCAN and MEMORY USAGE answers null.
      if (typeof n !== 'number') return;
      const rest = key.slice(prefix.length + 1);
      const family = rest.includes(':') ? rest.slice(0, rest.lastIndexOf(':')) : rest;
      const f = families.get(family) ?? { keys: 0, bytes: 0 };
      f.keys += 1;
      f.bytes += n;
      families.set(family, f);
    });
  } while (cursor !== '0');
  return families;
}

/** after - before, per family, for the families that changed. */
export function familyGrowth(
  before: KeyFamilies,
  after: KeyFamilies,
): { family: string; keys: number; bytes: number }[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .map((family) => {
      const a = after.get(family) ?? { keys: 0, bytes: 0 };
      const b = before.get(family) ?? { keys: 0, bytes: 0 };
      return { family, keys: a.keys - b.keys, bytes: a.bytes - b.bytes };
    })
    .filter((g) => g.keys !== 0 || g.bytes !== 0)
    .sort((x, y) => y.bytes - x.bytes);
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
