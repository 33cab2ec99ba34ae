// The data a tuning trial trains and scores on: a compact copy of the split holding the customers
// that matter to a trial. Kept: every customer with a held-out target event and a training event
// (the validation cases: their history is their profile), and the customers with two or more
// training events (only they link products: a one-event visitor adds no co-occurrence). Beyond
// `maxCases`, cases are drawn by a seeded hash (the others train like any customer): scoring every
// case is a trial's largest cost after the item model, and at the reference size the validation
// window holds tens of thousands of them where a few thousand measure a 1% gain. When the rows
// still pass `maxRows` (sized from the budget), the other customers are sampled the same way, so a
// trial on Retailrocket's 1.4 M visitors costs a bounded share of the budget. Ids are re-interned,
// so building each trial's matrix sorts only the kept ones.
import type { RawInteractions } from '../dataset-reader';
import { seededRandom, type Split } from '../evaluation';

export interface TrialSample {
  raw: RawInteractions;
  split: Split;
  info: {
    customers: number;
    rows: number;
    /** Customers dropped because they have a single training event and nothing held out. */
    singleEventCustomers: number;
    /** Share of the other multi-event customers kept (1: all; below 1 when maxRows bound it). */
    sampledShare: number;
    /** Validation cases kept, of how many the split had (below: maxCases bound them). */
    cases: number;
    casesInSplit: number;
  };
}

export function trialSample(
  raw: RawInteractions,
  split: Split,
  targetTypes: readonly string[],
  maxRows: number,
  seed: number,
  maxCases = Infinity,
): TrialSample {
  const nUsers = raw.userIds.length;
  const trainRows = new Int32Array(nUsers);
  for (let k = 0; k < raw.length; k++) if (split.train[k] === 1) trainRows[raw.user[k]!]! += 1;
  const isTarget = raw.eventTypes.map((t) => targetTypes.includes(t));
  const isCase = new Uint8Array(nUsers);
  let casesInSplit = 0;
  for (const [u, rows] of split.heldOut)
    if (trainRows[u]! > 0 && rows.some((k) => isTarget[raw.eventType[k]!])) {
      isCase[u] = 1;
      casesInSplit += 1;
    }
  if (casesInSplit > maxCases) {
    // One draw per customer in index order, apart from the rows' draw below: the same cases for a seed.
    const caseDraw = seededRandom(seed ^ 0xca5e);
    const share = maxCases / casesInSplit;
    for (let u = 0; u < nUsers; u++) if (caseDraw() >= share) isCase[u] = 0;
  }
  let cases = 0;
  let caseRows = 0;
  let otherRows = 0;
  let singles = 0;
  for (let u = 0; u < nUsers; u++) {
    if (isCase[u]) {
      cases += 1;
      caseRows += trainRows[u]!;
    } else if (trainRows[u]! >= 2) otherRows += trainRows[u]!;
    else if (trainRows[u]! === 1) singles += 1;
  }
  const share = otherRows > 0 ? Math.min(1, Math.max(0, maxRows - caseRows) / otherRows) : 1;
  const random = seededRandom(seed ^ 0x5eed);
  const keep = new Uint8Array(nUsers);
  // One draw per customer in index order: the same customers for a seed whatever the options.
  for (let u = 0; u < nUsers; u++) {
    const draw = random();
    keep[u] = isCase[u] || (trainRows[u]! >= 2 && draw < share) ? 1 : 0;
  }

  const userOf = new Int32Array(nUsers).fill(-1);
  const itemOf = new Int32Array(raw.itemIds.length).fill(-1);
  const userIds: string[] = [];
  const itemIds: string[] = [];
  // Training rows of kept customers and the held-out rows of the cases; nothing else is copied
  // (rows at or after the split's `until` are in neither).
  const held = new Uint8Array(raw.length);
  for (const [u, rows] of split.heldOut) if (isCase[u]) for (const k of rows) held[k] = 1;
  const rowOf = new Int32Array(raw.length).fill(-1);
  let n = 0;
  for (let k = 0; k < raw.length; k++) if (keep[raw.user[k]!] && (split.train[k] === 1 || held[k])) rowOf[k] = n++;
  const out: RawInteractions = {
    userIds,
    itemIds,
    eventTypes: raw.eventTypes,
    user: new Int32Array(n),
    item: new Int32Array(n),
    timestamp: new Float64Array(n),
    eventType: new Uint16Array(n),
    value: new Float32Array(n),
    length: n,
    rejected: [],
    rejectedCount: 0,
  };
  const train = new Uint8Array(n);
  for (let k = 0; k < raw.length; k++) {
    const r = rowOf[k]!;
    if (r < 0) continue;
    const u = raw.user[k]!;
    const i = raw.item[k]!;
    if (userOf[u] === -1) userOf[u] = userIds.push(raw.userIds[u]!) - 1;
    if (itemOf[i] === -1) itemOf[i] = itemIds.push(raw.itemIds[i]!) - 1;
    out.user[r] = userOf[u]!;
    out.item[r] = itemOf[i]!;
    out.timestamp[r] = raw.timestamp[k]!;
    out.eventType[r] = raw.eventType[k]!;
    out.value[r] = raw.value[k]!;
    train[r] = split.train[k]!;
  }
  const heldOut = new Map<number, number[]>();
  for (const [u, rows] of split.heldOut) {
    if (!isCase[u] || !keep[u]) continue;
    heldOut.set(
      userOf[u]!,
      rows.map((k) => rowOf[k]!),
    );
  }
  return {
    raw: out,
    split: { train, heldOut },
    info: {
      customers: userIds.length,
      rows: n,
      singleEventCustomers: singles,
      sampledShare: share,
      cases,
      casesInSplit,
    },
  };
}
