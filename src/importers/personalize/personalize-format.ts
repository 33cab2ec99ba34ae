// The three AWS Personalize CSV files (REFERENCE.md): which columns each needs, and how one line
// becomes a staged row or a rejection. Columns may come in any order; extra columns are ignored;
// derived columns (PURCHASE_COUNT, ORDER_COUNT, TOTAL_SPEND) are not imported.
import type { CopyValue } from '../pg-copy';

export type PersonalizeKind = 'interactions' | 'items' | 'users';

export interface PersonalizeFormat {
  kind: PersonalizeKind;
  required: readonly string[];
  optional: readonly string[];
  /** Staging table columns, in the order parse() returns values. */
  stageColumns: readonly string[];
  stageDdl: string;
  parse(get: (column: string) => string | undefined): CopyValue[] | { reason: string };
}

const INT_RE = /^[+-]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Unix seconds above this are in the year 5138: the file almost surely holds milliseconds. */
const MAX_UNIX_SECONDS = 1e11;

function id(get: (c: string) => string | undefined, column: string): string | { reason: string } {
  const v = (get(column) ?? '').trim();
  if (!v) return { reason: `empty ${column}` };
  if (v.length > 255) return { reason: `${column} longer than 255 characters` };
  return v;
}

function text(
  get: (c: string) => string | undefined,
  column: string,
  max?: number,
): string | null | { reason: string } {
  const v = (get(column) ?? '').trim();
  if (!v) return null;
  if (max !== undefined && v.length > max) return { reason: `${column} longer than ${max} characters` };
  return v;
}

function num(get: (c: string) => string | undefined, column: string): number | null | { reason: string } {
  const v = (get(column) ?? '').trim();
  if (!v) return null;
  if (!NUM_RE.test(v)) return { reason: `${column} "${v}" is not a number` };
  return Number(v);
}

const isReason = (v: unknown): v is { reason: string } => typeof v === 'object' && v !== null && 'reason' in v;

function all(values: (CopyValue | { reason: string })[]): CopyValue[] | { reason: string } {
  for (const v of values) if (isReason(v)) return v;
  return values as CopyValue[];
}

export const INTERACTIONS_FORMAT: PersonalizeFormat = {
  kind: 'interactions',
  required: ['USER_ID', 'ITEM_ID', 'TIMESTAMP'],
  optional: ['EVENT_TYPE', 'EVENT_VALUE'],
  stageColumns: ['user_id', 'item_id', 'ts', 'event_type', 'event_value', 'event_value_text'],
  stageDdl:
    'user_id text NOT NULL, item_id text NOT NULL, ts bigint NOT NULL, event_type text NOT NULL, event_value float8, event_value_text text NOT NULL',
  parse(get) {
    const ts = (get('TIMESTAMP') ?? '').trim();
    if (!INT_RE.test(ts)) return { reason: `TIMESTAMP "${ts}" is not whole Unix seconds` };
    const seconds = Number(ts);
    if (seconds < 0 || seconds > MAX_UNIX_SECONDS)
      return { reason: `TIMESTAMP ${ts} is out of range for Unix seconds` };
    // Without an EVENT_TYPE column every interaction is a purchase (the exports are order lines).
    const eventType = get('EVENT_TYPE') === undefined ? 'purchase' : (get('EVENT_TYPE') ?? '').trim();
    if (!eventType) return { reason: 'empty EVENT_TYPE' };
    if (eventType.length > 50) return { reason: 'EVENT_TYPE longer than 50 characters' };
    const value = num(get, 'EVENT_VALUE');
    return all([id(get, 'USER_ID'), id(get, 'ITEM_ID'), seconds, eventType, value, (get('EVENT_VALUE') ?? '').trim()]);
  },
};

export const ITEMS_FORMAT: PersonalizeFormat = {
  kind: 'items',
  required: ['ITEM_ID'],
  optional: ['ITEM_NAME', 'CATEGORY', 'PRICE', 'PURCHASE_COUNT'],
  stageColumns: ['item_id', 'name', 'category', 'price'],
  stageDdl: 'item_id text NOT NULL, name text, category text, price float8',
  parse(get) {
    const price = num(get, 'PRICE');
    if (typeof price === 'number' && price < 0) return { reason: `PRICE ${price} is negative` };
    return all([id(get, 'ITEM_ID'), text(get, 'ITEM_NAME'), text(get, 'CATEGORY', 255), price]);
  },
};

export const USERS_FORMAT: PersonalizeFormat = {
  kind: 'users',
  required: ['USER_ID'],
  optional: ['CITY', 'PROVINCE', 'ORDER_COUNT', 'TOTAL_SPEND'],
  stageColumns: ['user_id', 'city', 'province'],
  stageDdl: 'user_id text NOT NULL, city text, province text',
  parse(get) {
    return all([id(get, 'USER_ID'), text(get, 'CITY', 255), text(get, 'PROVINCE', 255)]);
  },
};
