// Reads the three CSV datasets of REFERENCE.md into compact columns. Malformed rows (bad quoting,
// wrong column count, non-numeric timestamp or value, empty ids) are skipped and reported with
// their line number.
import type { Readable } from 'node:stream';
import { headerPositions } from '../../csv/csv-header';
import { readCsvRecords } from '../../csv/csv-records';
import { DatasetFormatError } from './dataset-format-error';

export interface RejectedRow {
  file: string;
  lineNumber: number;
  reason: string;
}

/** Interactions as parallel typed columns; ids are interned in order of first appearance. */
export interface RawInteractions {
  userIds: string[];
  itemIds: string[];
  eventTypes: string[];
  user: Int32Array;
  item: Int32Array;
  timestamp: Float64Array;
  eventType: Uint16Array;
  value: Float32Array;
  length: number;
  rejected: RejectedRow[];
  rejectedCount: number;
}

/** Rejections kept in full; beyond this only the count grows (a broken file must not eat memory). */
const MAX_REPORTED_REJECTIONS = 1000;

function grow<T extends Int32Array | Float64Array | Uint16Array | Float32Array>(a: T, size: number): T {
  const Ctor = a.constructor as new (n: number) => T;
  const next = new Ctor(size);
  next.set(a);
  return next;
}

/** Header positions, compared without case; throws naming the missing required columns. */
function columnsOf<K extends string>(
  header: string[],
  required: readonly K[],
  optional: readonly K[],
  file: string,
): Record<K, number> {
  const index = headerPositions(header, [...required, ...optional], { ignoreCase: true });
  const missing = required.filter((r) => index[r] < 0);
  if (missing.length) {
    throw new DatasetFormatError(`${file}: header lacks ${missing.join(', ')} (found: ${header.join(',')})`);
  }
  return index;
}

export async function readInteractions(stream: Readable, file = 'interactions.csv'): Promise<RawInteractions> {
  const userMap = new Map<string, number>();
  const itemMap = new Map<string, number>();
  const typeMap = new Map<string, number>();
  const out: RawInteractions = {
    userIds: [],
    itemIds: [],
    eventTypes: [],
    user: new Int32Array(1 << 16),
    item: new Int32Array(1 << 16),
    timestamp: new Float64Array(1 << 16),
    eventType: new Uint16Array(1 << 16),
    value: new Float32Array(1 << 16),
    length: 0,
    rejected: [],
    rejectedCount: 0,
  };
  const reject = (lineNumber: number, reason: string): void => {
    out.rejectedCount += 1;
    if (out.rejected.length < MAX_REPORTED_REJECTIONS) out.rejected.push({ file, lineNumber, reason });
  };
  let cols: { user: number; item: number; ts: number; type: number; value: number; count: number } | null = null;
  for await (const records of readCsvRecords(stream)) {
    for (const { line: lineNumber, fields, error } of records) {
      if (!cols) {
        if (!fields) throw new DatasetFormatError(`${file}: unreadable header (${error ?? 'no fields'})`);
        const h = columnsOf(fields, ['USER_ID', 'ITEM_ID', 'TIMESTAMP'], ['EVENT_TYPE', 'EVENT_VALUE'], file);
        cols = {
          user: h.USER_ID,
          item: h.ITEM_ID,
          ts: h.TIMESTAMP,
          type: h.EVENT_TYPE,
          value: h.EVENT_VALUE,
          count: fields.length,
        };
        continue;
      }
      if (!fields) {
        reject(lineNumber, error ?? 'unreadable line');
        continue;
      }
      if (fields.length !== cols.count) {
        reject(lineNumber, `expected ${cols.count} columns, found ${fields.length}`);
        continue;
      }
      const userId = fields[cols.user]!.trim();
      const itemId = fields[cols.item]!.trim();
      if (!userId || !itemId) {
        reject(lineNumber, userId ? 'empty ITEM_ID' : 'empty USER_ID');
        continue;
      }
      const tsText = fields[cols.ts]!.trim();
      const ts = tsText === '' ? NaN : Number(tsText);
      if (!Number.isFinite(ts)) {
        reject(lineNumber, `TIMESTAMP "${tsText}" is not a number`);
        continue;
      }
      let value = 1;
      if (cols.value >= 0) {
        const vText = fields[cols.value]!.trim();
        if (vText !== '') {
          value = Number(vText);
          if (!Number.isFinite(value)) {
            reject(lineNumber, `EVENT_VALUE "${vText}" is not a number`);
            continue;
          }
        }
      }
      const typeName = cols.type >= 0 ? fields[cols.type]!.trim() || 'purchase' : 'purchase';
      let u = userMap.get(userId);
      if (u === undefined) {
        u = out.userIds.length;
        userMap.set(userId, u);
        out.userIds.push(userId);
      }
      let it = itemMap.get(itemId);
      if (it === undefined) {
        it = out.itemIds.length;
        itemMap.set(itemId, it);
        out.itemIds.push(itemId);
      }
      let t = typeMap.get(typeName);
      if (t === undefined) {
        t = out.eventTypes.length;
        typeMap.set(typeName, t);
        out.eventTypes.push(typeName);
      }
      const n = out.length;
      if (n === out.user.length) {
        const size = n * 2;
        out.user = grow(out.user, size);
        out.item = grow(out.item, size);
        out.timestamp = grow(out.timestamp, size);
        out.eventType = grow(out.eventType, size);
        out.value = grow(out.value, size);
      }
      out.user[n] = u;
      out.item[n] = it;
      out.timestamp[n] = ts;
      out.eventType[n] = t;
      out.value[n] = value;
      out.length = n + 1;
    }
  }
  if (!cols) throw new DatasetFormatError(`${file}: the file is empty (no header)`);
  return out;
}

/** One categorical attribute per id (CATEGORY of items.csv, PROVINCE of users.csv). */
export interface Attributes {
  byId: Map<string, string>;
  /** Ids in file order, including those with an empty attribute (they still exist). */
  ids: string[];
  rejected: RejectedRow[];
  rejectedCount: number;
}

export async function readAttributes(
  stream: Readable,
  file: string,
  idColumn: 'ITEM_ID' | 'USER_ID',
  attrColumn: 'CATEGORY' | 'PROVINCE',
): Promise<Attributes> {
  const out: Attributes = { byId: new Map(), ids: [], rejected: [], rejectedCount: 0 };
  const seen = new Set<string>();
  let cols: { id: number; attr: number; count: number } | null = null;
  for await (const records of readCsvRecords(stream)) {
    for (const { line: lineNumber, fields, error } of records) {
      if (!cols) {
        if (!fields) throw new DatasetFormatError(`${file}: unreadable header (${error ?? 'no fields'})`);
        const h = columnsOf(fields, [idColumn], [attrColumn], file);
        cols = { id: h[idColumn], attr: h[attrColumn], count: fields.length };
        continue;
      }
      const reason = !fields
        ? (error ?? 'unreadable line')
        : fields.length !== cols.count
          ? `expected ${cols.count} columns, found ${fields.length}`
          : !fields[cols.id]!.trim()
            ? `empty ${idColumn}`
            : null;
      if (reason || !fields) {
        out.rejectedCount += 1;
        if (out.rejected.length < MAX_REPORTED_REJECTIONS)
          out.rejected.push({ file, lineNumber, reason: reason ?? '' });
        continue;
      }
      const id = fields[cols.id]!.trim();
      if (seen.has(id)) continue;
      seen.add(id);
      out.ids.push(id);
      const attr = cols.attr >= 0 ? fields[cols.attr]!.trim() : '';
      if (attr) out.byId.set(id, attr);
    }
  }
  return out;
}
