import type { Config } from '../config/config';
import { DirectoryObjectStore } from '../storage/directory-object-store';
import type { ObjectStore } from '../storage/object-store';

export function createObjectStore(config: Config): ObjectStore {
  if (config.objectStore.kind === 'dir') return new DirectoryObjectStore(config.objectStore.dir);
  throw new Error('OBJECT_STORE=s3 is not available in this build');
}
