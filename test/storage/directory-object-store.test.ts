import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { describeObjectStoreContract } from './object-store.contract';

let dir = '';
describeObjectStoreContract(
  'DirectoryObjectStore',
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'recs-store-'));
    return { store: new DirectoryObjectStore(dir), largeSize: 3 * 1024 * 1024 };
  },
  async () => {
    await rm(dir, { recursive: true, force: true });
  },
);
