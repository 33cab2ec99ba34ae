// Persists a trained LocalModel under the run's modelPrefix, so that batch inference and the
// in-process ranker can run in another process: a JSON manifest (params, ids, array layout) and
// one binary file of typed arrays, each 8-byte aligned. Same model, same bytes.
import { Readable } from 'node:stream';
import type { ObjectStore } from '../../storage/object-store';
import type { EngineParams } from './engine-params';
import type { LocalModel } from './local-model';

const FORMAT = 'storefront-recs/local-model@1';
type ArrayKind = 'i32' | 'f32' | 'u8';
type Typed = Int32Array | Float32Array | Uint8Array;

interface ArrayEntry {
  name: string;
  kind: ArrayKind;
  offset: number;
  length: number;
}

interface Manifest {
  format: string;
  params: EngineParams;
  modelledItems: number;
  itemModel: boolean;
  referenceTime: number;
  interactions: number;
  userIds: string[];
  itemIds: string[];
  categories: string[];
  provinces: string[];
  arrays: ArrayEntry[];
}

export function modelKeys(prefix: string): { manifest: string; arrays: string } {
  return { manifest: `${prefix}local-model.json`, arrays: `${prefix}local-model.bin` };
}

function kindOf(a: Typed): ArrayKind {
  return a instanceof Int32Array ? 'i32' : a instanceof Float32Array ? 'f32' : 'u8';
}

function arraysOf(m: LocalModel): Record<string, Typed> {
  const d = m.data;
  return {
    userPtr: d.userPtr,
    userItems: d.userItems,
    userValues: d.userValues,
    userBought: d.userBought,
    userProfile: d.userProfile,
    itemCategory: d.itemCategory,
    userProvince: d.userProvince,
    recPtr: m.rec.ptr,
    recIdx: m.rec.idx,
    recW: m.rec.w,
    simPtr: m.similar.ptr,
    simIdx: m.similar.idx,
    simW: m.similar.w,
    popularity: m.popularity,
    trend: d.itemTrend,
  };
}

export async function saveModel(store: ObjectStore, prefix: string, m: LocalModel): Promise<void> {
  const keys = modelKeys(prefix);
  const entries: ArrayEntry[] = [];
  const buffers: Buffer[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arraysOf(m))) {
    const pad = (8 - (offset % 8)) % 8;
    if (pad) buffers.push(Buffer.alloc(pad));
    offset += pad;
    entries.push({ name, kind: kindOf(a), offset, length: a.length });
    buffers.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    offset += a.byteLength;
  }
  await store.put(keys.arrays, Readable.from(buffers));
  const d = m.data;
  const manifest: Manifest = {
    format: FORMAT,
    params: m.params,
    modelledItems: m.modelledItems,
    itemModel: m.itemModel,
    referenceTime: d.referenceTime,
    interactions: d.interactions,
    userIds: d.userIds,
    itemIds: d.itemIds,
    categories: d.categories,
    provinces: d.provinces,
    arrays: entries,
  };
  // The manifest goes last: its presence means the model is complete.
  await store.put(keys.manifest, JSON.stringify(manifest));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(parts);
}

export async function loadModel(store: ObjectStore, prefix: string): Promise<LocalModel> {
  const keys = modelKeys(prefix);
  const manifest = JSON.parse((await readAll(await store.get(keys.manifest))).toString('utf8')) as Manifest;
  if (manifest.format !== FORMAT) throw new Error(`${keys.manifest}: unknown model format "${manifest.format}"`);
  const bin = await readAll(await store.get(keys.arrays));
  const a: Record<string, Typed> = {};
  for (const e of manifest.arrays) {
    const bytes = e.kind === 'u8' ? e.length : e.length * 4;
    const copy = new Uint8Array(bytes);
    copy.set(bin.subarray(e.offset, e.offset + bytes));
    a[e.name] =
      e.kind === 'i32' ? new Int32Array(copy.buffer) : e.kind === 'f32' ? new Float32Array(copy.buffer) : copy;
  }
  const get = <T extends Typed>(name: string, kind: new (length: number) => T): T => {
    const v = a[name];
    if (!(v instanceof kind)) throw new Error(`${keys.arrays}: array ${name} is missing or not a ${kind.name}`);
    return v;
  };
  return {
    params: manifest.params,
    modelledItems: manifest.modelledItems,
    itemModel: manifest.itemModel,
    data: {
      userIds: manifest.userIds,
      itemIds: manifest.itemIds,
      categories: manifest.categories,
      provinces: manifest.provinces,
      referenceTime: manifest.referenceTime,
      interactions: manifest.interactions,
      userPtr: get('userPtr', Int32Array),
      userItems: get('userItems', Int32Array),
      userValues: get('userValues', Float32Array),
      userBought: get('userBought', Uint8Array),
      userProfile: get('userProfile', Float32Array),
      itemPopularity: get('popularity', Float32Array),
      itemTrend: get('trend', Float32Array),
      itemCategory: get('itemCategory', Int32Array),
      userProvince: get('userProvince', Int32Array),
    },
    rec: { ptr: get('recPtr', Int32Array), idx: get('recIdx', Int32Array), w: get('recW', Float32Array) },
    similar: { ptr: get('simPtr', Int32Array), idx: get('simIdx', Int32Array), w: get('simW', Float32Array) },
    popularity: get('popularity', Float32Array),
  };
}
