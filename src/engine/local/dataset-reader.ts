// Reads the three CSV datasets of REFERENCE.md into compact columns. Malformed rows (wrong column
// count, non-numeric timestamp or value, empty ids) are skipped and reported with their line number.
import type { Readable } from 'node:stream';
import { headerIndex, readLines, splitCsvLine, DatasetFormatError } from './csv-lines';

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
export const MAX_REPORTED_REJECTIONS = 1000;

function grow<T extends Int32Array | Float64Array | Uint16Array | Float32Array>(a: T, size: number): T {
  const Ctor = a.constructor as new (n: number) => T;
  const next = new Ctor(size);
  next.set(a);
  return next;
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
  for await (const lines of readLines(stream)) {
    for (const { lineNumber, text } of lines) {
      const fields = splitCsvLine(text);
      if (!cols) {
        if (!fields) throw new DatasetFormatError(`${file}: unreadable header`);
        const h = headerIndex(fields, ['USER_ID', 'ITEM_ID', 'TIMESTAMP'], file);
        cols = {
          user: h.get('USER_ID')!,
          item: h.get('ITEM_ID')!,
          ts: h.get('TIMESTAMP')!,
          type: h.get('EVENT_TYPE') ?? -1,
          value: h.get('EVENT_VALUE') ?? -1,
          count: fields.length,
        };
        continue;
      }
      if (!fields) {
        reject(lineNumber, 'unbalanced quotes');
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
  for await (const lines of readLines(stream)) {
    for (const { lineNumber, text } of lines) {
      const fields = splitCsvLine(text);
      if (!cols) {
        if (!fields) throw new DatasetFormatError(`${file}: unreadable header`);
        const h = headerIndex(fields, [idColumn], file);
        cols = { id: h.get(idColumn)!, attr: h.get(attrColumn) ?? -1, count: fields.length };
        continue;
      }
      const reason = !fields
        ? 'unbalanced quotes'
        : fields.length !== cols.count
          ? `expected ${cols.count} columns, found ${fields.length}`
          : !fields[cols.id]!.trim()
            ? `empty ${idColumn}`
            : null;
      if (reason || !fields) {
        out.rejectedCount += 1;
        if (out.rejected.length < MAX_REPORTED_REJECTIONS) out.rejected.push({ file, lineNumber, reason: reason ?? '' });
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
