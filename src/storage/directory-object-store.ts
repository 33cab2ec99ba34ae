import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from './object-store';

/** Objects as files under one root directory; writes go to a temp file, then rename (atomic). */
export class DirectoryObjectStore implements ObjectStore {
  readonly kind = 'dir' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private file(key: string): string {
    const normalized = path.posix.normalize(key);
    if (normalized.startsWith('..') || path.posix.isAbsolute(normalized)) {
      throw new Error(`invalid object key: ${key}`);
    }
    return path.join(this.root, normalized);
  }

  async put(key: string, body: Readable | Buffer | string): Promise<ObjectInfo> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([body]) : body;
    try {
      await pipeline(source, createWriteStream(tmp));
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { key, size: (await stat(target)).size };
  }

  async get(key: string): Promise<Readable> {
    const target = this.file(key);
    if (!(await this.exists(key))) throw new ObjectNotFoundError(key);
    return createReadStream(target);
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.file(key))).isFile();
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (!e.name.endsWith('.tmp')) {
          const key = path.relative(this.root, full).split(path.sep).join('/');
          if (key.startsWith(prefix)) out.push({ key, size: (await stat(full)).size });
        }
      }
    };
    await walk(this.root);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  uri(key: string): string {
    return this.file(key);
  }
}
