// Turns raw interactions into the training matrix: one row per customer, one weighted entry per
// product. Ids are sorted so that results never depend on the order of the CSV rows.
import type { Attributes, RawInteractions } from './dataset-reader';
import { resolveTimeScale, type EngineParams, type TimeScale } from './engine-params';
import { densityHalfLifeDays } from './decay-density';
import { InsufficientDataError } from './insufficient-data-error';

export const MIN_INTERACTIONS = 1000;
export const MIN_USERS_WITH_TWO = 25;

export interface Dataset {
  userIds: string[];
  itemIds: string[];
  /** CSR by user: items ascending, strength x > 0 (or 0 when returns cancelled it out). */
  userPtr: Int32Array;
  userItems: Int32Array;
  userValues: Float32Array;
  /** Like userValues, with popularity's decay: set when the model half-life differs (training only). */
  userValuesLong?: Float32Array;
  /** 1 where the customer has a purchase event for the product (the exclusion filter). */
  userBought: Uint8Array;
  /** x damped by the age of the entry relative to the customer's latest event: the scoring profile. */
  userProfile: Float32Array;
  /** Per product: like itemPopularity, with the trend half-life: what sells now. */
  itemTrend: Float32Array;
  /** Per product: summed customer strength, decayed from the data set's newest event (trending). */
  itemPopularity: Float32Array;
  categories: string[];
  itemCategory: Int32Array; // -1: none
  provinces: string[];
  userProvince: Int32Array; // -1: none
  referenceTime: number;
  interactions: number;
  /** The half-lives this matrix was built with (absent on a model loaded from files). */
  timeScale?: TimeScale;
}

/** Newest minus 1st-percentile timestamp of the used rows: a few stray old events do not stretch it. */
export function timeSpan(raw: RawInteractions, use: (k: number) => boolean, ref: number): number {
  const ts: number[] = [];
  for (let k = 0; k < raw.length; k++) if (use(k)) ts.push(raw.timestamp[k]!);
  if (!ts.length) return 0;
  const sorted = Float64Array.from(ts).sort();
  return Math.max(0, ref - sorted[Math.floor(sorted.length * 0.01)]!);
}

function sortedIndex(ids: Iterable<string>): { ids: string[]; index: Map<string, number> } {
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ids: sorted, index: new Map(sorted.map((id, i) => [id, i])) };
}

function internAttribute(attrs: Attributes | null, ids: string[]): { names: string[]; of: Int32Array } {
  const of = new Int32Array(ids.length).fill(-1);
  if (!attrs) return { names: [], of };
  const names = [...new Set(attrs.byId.values())].sort();
  const idx = new Map(names.map((n, i) => [n, i]));
  ids.forEach((id, i) => {
    const a = attrs.byId.get(id);
    if (a !== undefined) of[i] = idx.get(a)!;
  });
  return { names, of };
}

/** Throws InsufficientDataError below Personalize's minimums. */
export function checkMinimums(raw: RawInteractions): void {
  const perUser = new Int32Array(raw.userIds.length);
  for (let k = 0; k < raw.length; k++) perUser[raw.user[k]!]! += 1;
  let withTwo = 0;
  for (let u = 0; u < perUser.length; u++) if (perUser[u]! >= 2) withTwo += 1;
  if (raw.length < MIN_INTERACTIONS || withTwo < MIN_USERS_WITH_TWO) {
    throw new InsufficientDataError(raw.length, withTwo);
  }
}

/** The strength one event adds: type weight x damped value x recency decay. */
export function eventStrength(
  weight: number,
  value: number,
  ageSeconds: number,
  halfLifeDays: number,
  eventValue: 'log' | 'ignore' = 'log',
  floor = 0,
): number {
  const v = eventValue === 'ignore' ? 1 : value === 0 ? 0 : Math.sign(value) * Math.log2(1 + Math.abs(value));
  // Clamped so that years of short half-lives never underflow a purchase to nothing.
  const decay =
    halfLifeDays > 0
      ? Math.max(1e-300, floor + (1 - floor) * Math.pow(0.5, Math.max(0, ageSeconds) / (halfLifeDays * 86_400)))
      : 1;
  return weight * v * decay;
}

/**
 * The half-lives of one training; the model half-life raised to the data's density floor
 * (params.modelDensity, decay-density.ts), never beyond popularity's (or the span without one).
 */
function modelTimeScale(
  raw: RawInteractions,
  params: EngineParams,
  use: (k: number) => boolean,
  ref: number,
  typeWeight: Float64Array,
): TimeScale {
  const scale = resolveTimeScale(params, timeSpan(raw, use, ref));
  const hi = scale.halfLifeDays > 0 ? scale.halfLifeDays : scale.spanDays;
  if (params.modelDensity <= 0 || scale.modelHalfLifeDays <= 0 || scale.modelHalfLifeDays >= hi) return scale;
  const ages: number[] = [];
  const products = new Set<number>();
  for (let k = 0; k < raw.length; k++) {
    if (!use(k) || typeWeight[raw.eventType[k]!]! <= 0) continue;
    ages.push(ref - raw.timestamp[k]!);
    products.add(raw.item[k]!);
  }
  const days = densityHalfLifeDays(
    Float64Array.from(ages),
    products.size,
    params.modelDensity,
    scale.modelHalfLifeDays,
    hi,
  );
  return { ...scale, modelHalfLifeDays: days };
}

export function buildDataset(
  raw: RawInteractions,
  params: EngineParams,
  items: Attributes | null = null,
  users: Attributes | null = null,
  opts: { rows?: Uint8Array; referenceTime?: number } = {},
): Dataset {
  const u = sortedIndex([...raw.userIds, ...(users?.ids ?? [])]);
  const it = sortedIndex([...raw.itemIds, ...(items?.ids ?? [])]);
  const userMap = Int32Array.from(raw.userIds, (id) => u.index.get(id)!);
  const itemMap = Int32Array.from(raw.itemIds, (id) => it.index.get(id)!);
  const typeWeight = Float64Array.from(raw.eventTypes, (t) => params.eventWeights[t] ?? params.defaultEventWeight);
  const typeBought = Uint8Array.from(raw.eventTypes, (t) => (params.targetEventTypes.includes(t) ? 1 : 0));
  const use = (k: number): boolean => !opts.rows || opts.rows[k] === 1;
  let ref = opts.referenceTime ?? -Infinity;
  if (opts.referenceTime === undefined)
    for (let k = 0; k < raw.length; k++) if (use(k) && raw.timestamp[k]! > ref) ref = raw.timestamp[k]!;

  const nUsers = u.ids.length;
  const nItems = it.ids.length;
  // Bucket events by user (counting sort), then merge each user's events per product.
  const start = new Int32Array(nUsers + 1);
  let used = 0;
  for (let k = 0; k < raw.length; k++) {
    if (!use(k)) continue;
    start[userMap[raw.user[k]!]! + 1]! += 1;
    used += 1;
  }
  for (let i = 0; i < nUsers; i++) start[i + 1]! += start[i]!;
  const order = new Int32Array(used);
  const fill = start.slice(0, nUsers);
  for (let k = 0; k < raw.length; k++) if (use(k)) order[fill[userMap[raw.user[k]!]!]!++] = k;

  const acc = new Float64Array(nItems);
  const scale = modelTimeScale(raw, params, use, ref, typeWeight);
  // The personal models may decay events faster than popularity does (see modelHalfLife).
  const modelHalfLife = scale.modelHalfLifeDays;
  const accPop = modelHalfLife === scale.halfLifeDays && params.modelDecayFloor === 0 ? null : new Float64Array(nItems);
  const itemPopularity = new Float32Array(nItems);
  const itemTrend = new Float32Array(nItems);
  const accTrend = new Float64Array(nItems);
  const lastSeen = new Float64Array(nItems);
  const bought = new Uint8Array(nItems);
  const seen = new Uint8Array(nItems);
  const userPtr = new Int32Array(nUsers + 1);
  let cap = Math.max(16, used);
  let userItems = new Int32Array(cap);
  let userValues = new Float32Array(cap);
  let userBought = new Uint8Array(cap);
  let userProfile = new Float32Array(cap);
  let userValuesLong = new Float32Array(accPop ? cap : 0);
  lastSeen.fill(NaN);
  let nnz = 0;
  const touched: number[] = [];
  for (let uu = 0; uu < nUsers; uu++) {
    touched.length = 0;
    let userLast = -Infinity;
    for (let p = start[uu]!; p < start[uu + 1]!; p++) {
      const k = order[p]!;
      const i = itemMap[raw.item[k]!]!;
      if (!seen[i]) {
        seen[i] = 1;
        touched.push(i);
      }
      const t = raw.eventType[k]!;
      const ts = raw.timestamp[k]!;
      acc[i]! += eventStrength(
        typeWeight[t]!,
        raw.value[k]!,
        ref - ts,
        modelHalfLife,
        params.eventValue,
        accPop ? params.modelDecayFloor : 0,
      );
      if (accPop)
        accPop[i]! += eventStrength(typeWeight[t]!, raw.value[k]!, ref - ts, scale.halfLifeDays, params.eventValue);
      if (params.trendWeight > 0)
        accTrend[i]! += eventStrength(
          typeWeight[t]!,
          raw.value[k]!,
          ref - ts,
          scale.trendHalfLifeDays,
          params.eventValue,
        );
      if (!(ts <= lastSeen[i]!)) lastSeen[i] = ts; // NaN (unseen) compares false
      if (ts > userLast) userLast = ts;
      if (typeBought[t]) bought[i] = 1;
    }
    touched.sort((a, b) => a - b);
    if (nnz + touched.length > cap) {
      cap = Math.max(cap * 2, nnz + touched.length);
      const a = new Int32Array(cap);
      a.set(userItems.subarray(0, nnz));
      userItems = a;
      const b = new Float32Array(cap);
      b.set(userValues.subarray(0, nnz));
      userValues = b;
      const c = new Uint8Array(cap);
      c.set(userBought.subarray(0, nnz));
      userBought = c;
      const d = new Float32Array(cap);
      d.set(userProfile.subarray(0, nnz));
      userProfile = d;
      if (accPop) {
        const e = new Float32Array(cap);
        e.set(userValuesLong.subarray(0, nnz));
        userValuesLong = e;
      }
    }
    for (const i of touched) {
      userItems[nnz] = i;
      // log1p damps bulk buyers and repeat purchases; a net-negative product (returned) counts 0.
      // A positive cell stays positive however old (a short model half-life must not underflow it).
      userValues[nnz] = acc[i]! > 0 ? Math.max(Math.log1p(acc[i]!), 1e-30) : 0;
      userBought[nnz] = bought[i]!;
      userProfile[nnz] =
        scale.profileHalfLifeDays > 0
          ? userValues[nnz]! * Math.pow(0.5, (userLast - lastSeen[i]!) / (scale.profileHalfLifeDays * 86_400))
          : userValues[nnz]!;
      if (accPop) {
        userValuesLong[nnz] = accPop[i]! > 0 ? Math.max(Math.log1p(accPop[i]!), 1e-30) : 0;
        itemPopularity[i]! += userValuesLong[nnz]!;
        accPop[i] = 0;
      } else itemPopularity[i]! += userValues[nnz]!;
      if (accTrend[i]! > 0) itemTrend[i]! += Math.log1p(accTrend[i]!);
      accTrend[i] = 0;
      nnz += 1;
      acc[i] = 0;
      lastSeen[i] = NaN;
      bought[i] = 0;
      seen[i] = 0;
    }
    userPtr[uu + 1] = nnz;
  }
  const cat = internAttribute(items, it.ids);
  const prov = internAttribute(users, u.ids);
  return {
    userIds: u.ids,
    itemIds: it.ids,
    userPtr,
    userItems: userItems.slice(0, nnz),
    userValues: userValues.slice(0, nnz),
    userBought: userBought.slice(0, nnz),
    userProfile: userProfile.slice(0, nnz),
    ...(accPop ? { userValuesLong: userValuesLong.slice(0, nnz) } : {}),
    itemPopularity,
    itemTrend,
    categories: cat.names,
    itemCategory: cat.of,
    provinces: prov.names,
    userProvince: prov.of,
    referenceTime: Number.isFinite(ref) ? ref : 0,
    interactions: used,
    timeScale: scale,
  };
}
