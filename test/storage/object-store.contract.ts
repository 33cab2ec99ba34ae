// One behaviour, every backend: the directory store and the S3 store both run this suite.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ObjectNotFoundError, type ObjectStore } from '../../src/storage/object-store';

export interface StoreFixture {
  store: ObjectStore;
  /** Bytes that force a multipart upload on this backend (if it has such a thing). */
  largeSize: number;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

export function describeObjectStoreContract(
  name: string,
  setup: () => Promise<StoreFixture>,
  teardown: () => Promise<void>,
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fx: StoreFixture;
    beforeAll(async () => {
      fx = await setup();
    });
    afterAll(teardown);

    it('stores a string and reads it back with its size', async () => {
      const info = await fx.store.put('runs/1/datasets/items.csv', 'ITEM_ID\np1\n');
      expect(info).toEqual({ key: 'runs/1/datasets/items.csv', size: 11 });
      expect((await readAll(await fx.store.get('runs/1/datasets/items.csv'))).toString()).toBe('ITEM_ID\np1\n');
    });

    it('stores a Buffer and a stream', async () => {
      await fx.store.put('runs/1/a.bin', Buffer.from([0, 1, 2, 255]));
      expect([...(await readAll(await fx.store.get('runs/1/a.bin')))]).toEqual([0, 1, 2, 255]);
      const info = await fx.store.put('runs/1/b.jsonl', Readable.from(['{"a":1}\n', '{"a":2}\n']));
      expect(info.size).toBe(16);
      expect((await readAll(await fx.store.get('runs/1/b.jsonl'))).toString()).toBe('{"a":1}\n{"a":2}\n');
    });

    it('round-trips a large streamed body byte for byte', async () => {
      const data = randomBytes(fx.largeSize);
      const parts = [];
      for (let i = 0; i < data.length; i += 1024 * 1024) parts.push(data.subarray(i, i + 1024 * 1024));
      const info = await fx.store.put('runs/2/big.csv', Readable.from(parts));
      expect(info.size).toBe(data.length);
      const back = await readAll(await fx.store.get('runs/2/big.csv'));
      expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      expect((await fx.store.list('runs/2/')).find((o) => o.key === 'runs/2/big.csv')?.size).toBe(data.length);
    });

    it('overwrites an existing object', async () => {
      await fx.store.put('runs/3/x.txt', 'old');
      await fx.store.put('runs/3/x.txt', 'new!');
      expect((await readAll(await fx.store.get('runs/3/x.txt'))).toString()).toBe('new!');
    });

    it('reports missing objects as ObjectNotFoundError and exists() false', async () => {
      await expect(fx.store.get('runs/404/none.csv')).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await fx.store.exists('runs/404/none.csv')).toBe(false);
      await fx.store.put('runs/4/here.csv', 'x');
      expect(await fx.store.exists('runs/4/here.csv')).toBe(true);
    });

    it('lists by prefix, sorted, with sizes, and nothing outside the prefix', async () => {
      await fx.store.put('runs/5/batch/b.jsonl', 'bb');
      await fx.store.put('runs/5/batch/a.jsonl', 'a');
      await fx.store.put('runs/50/batch/c.jsonl', 'ccc');
      expect(await fx.store.list('runs/5/')).toEqual([
        { key: 'runs/5/batch/a.jsonl', size: 1 },
        { key: 'runs/5/batch/b.jsonl', size: 2 },
      ]);
      expect(await fx.store.list('runs/none/')).toEqual([]);
    });

    it('deletes an object; deleting a missing one is a no-op', async () => {
      await fx.store.put('runs/6/d.txt', 'd');
      await fx.store.delete('runs/6/d.txt');
      expect(await fx.store.exists('runs/6/d.txt')).toBe(false);
      await expect(fx.store.delete('runs/6/d.txt')).resolves.toBeUndefined();
    });

    it('rejects keys that escape the store', async () => {
      await expect(fx.store.put('../outside.txt', 'x')).rejects.toThrow(/invalid object key/);
      expect(() => fx.store.uri('/etc/passwd')).toThrow(/invalid object key/);
    });

    it('gives a URI that names the key', () => {
      expect(fx.store.uri('runs/1/datasets/items.csv')).toMatch(/runs\/1\/datasets\/items\.csv$/);
    });
  });
}
