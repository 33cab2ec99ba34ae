// The cleaning rules for the UCI Online Retail file, as a pure function of one CSV line.
// README.md ("Importing data") documents them; test/importers/online-retail-record.test.ts pins them.

export const ONLINE_RETAIL_COLUMNS = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
] as const;
export type OnlineRetailColumn = (typeof ONLINE_RETAIL_COLUMNS)[number];

/** One parsed line. quantity is as written in the file (negative for most returns). */
export interface OnlineRetailLine {
  line: number;
  invoiceNo: string;
  stockCode: string;
  description: string;
  quantity: number;
  /** InvoiceDate read as UTC. */
  occurredAt: Date;
  unitPrice: number;
  /** `17850.0` in the file becomes `17850`. */
  customerId: string | null;
  country: string;
}

export type OnlineRetailRecord =
  | (OnlineRetailLine & { kind: 'purchase'; customerId: string })
  /** A cancellation (InvoiceNo starting with C) or a negative quantity. */
  | (OnlineRetailLine & { kind: 'return'; customerId: string; cancellation: boolean })
  /** A well-formed line without CustomerID: not importable, only counted. */
  | (OnlineRetailLine & { kind: 'skipped-no-customer'; customerId: null })
  | (OnlineRetailLine & { kind: 'skipped-non-product'; customerId: string | null })
  /** A malformed line: goes to the quarantine with its reason and raw text. */
  | { kind: 'rejected'; line: number; reason: string; raw: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const INT_RE = /^[+-]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const CUSTOMER_RE = /^(\d+)(\.0*)?$/;

/** Parses `YYYY-MM-DD HH:MM:SS` as UTC; undefined when malformed or not a real date. */
export function parseUtcDateTime(text: string): Date | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  // Date.UTC rolls 2011-02-30 over to March: a round-trip check rejects impossible dates.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return date;
}

export type ColumnIndex = Record<OnlineRetailColumn, number>;

/** The index of the standard header, for callers that have no header of their own. */
const STANDARD_COLUMN_INDEX: ColumnIndex = Object.fromEntries(
  ONLINE_RETAIL_COLUMNS.map((c, i) => [c, i]),
) as ColumnIndex;

export function parseOnlineRetailLine(
  fields: string[],
  line: number,
  raw: string,
  idx: ColumnIndex = STANDARD_COLUMN_INDEX,
  columnCount: number = ONLINE_RETAIL_COLUMNS.length,
): OnlineRetailRecord {
  const reject = (reason: string): OnlineRetailRecord => ({ kind: 'rejected', line, reason, raw });
  if (fields.length !== columnCount) return reject(`expected ${columnCount} columns, got ${fields.length}`);
  const get = (c: OnlineRetailColumn): string => (fields[idx[c]] ?? '').trim();

  const invoiceNo = get('InvoiceNo');
  if (!invoiceNo) return reject('empty InvoiceNo');
  // Limits of the columns they land in (orders.id, products.id, customers.province; line_key).
  if (invoiceNo.length > 100) return reject('InvoiceNo longer than 100 characters');
  const stockCode = get('StockCode');
  if (!stockCode) return reject('empty StockCode');
  if (stockCode.length > 255) return reject('StockCode longer than 255 characters');
  if (get('Country').length > 255) return reject('Country longer than 255 characters');
  const quantityText = get('Quantity');
  if (!INT_RE.test(quantityText)) return reject(`Quantity "${quantityText}" is not an integer`);
  const quantity = Number(quantityText);
  if (quantity === 0) return reject('Quantity is zero');
  if (!Number.isSafeInteger(quantity) || Math.abs(quantity) > 2_147_483_647)
    return reject(`Quantity "${quantityText}" is out of range`);
  const dateText = get('InvoiceDate');
  const occurredAt = parseUtcDateTime(dateText);
  if (!occurredAt) return reject(`InvoiceDate "${dateText}" is not a valid YYYY-MM-DD HH:MM:SS`);
  const priceText = get('UnitPrice');
  if (!NUM_RE.test(priceText)) return reject(`UnitPrice "${priceText}" is not a number`);
  const unitPrice = Number(priceText);
  if (unitPrice < 0) return reject(`UnitPrice ${priceText} is negative`);
  const customerText = get('CustomerID');
  let customerId: string | null = null;
  if (customerText) {
    const m = CUSTOMER_RE.exec(customerText);
    if (!m) return reject(`CustomerID "${customerText}" is not a whole number`);
    customerId = String(Number(m[1]));
  }
  const base = {
    line,
    invoiceNo,
    stockCode,
    description: get('Description'),
    quantity,
    occurredAt,
    unitPrice,
    country: get('Country'),
  };
  if (customerId === null) return { ...base, kind: 'skipped-no-customer', customerId: null };
  // The file's merchandise codes start with a digit; the rest are postage, fees and adjustments
  // (POST, DOT, M, C2, BANK CHARGES, AMAZONFEE, ...): recommending them would be nonsense.
  if (!/^\d/.test(stockCode)) return { ...base, kind: 'skipped-non-product', customerId };
  const cancellation = invoiceNo.startsWith('C') || invoiceNo.startsWith('c');
  if (cancellation || quantity < 0) return { ...base, kind: 'return', customerId, cancellation };
  return { ...base, kind: 'purchase', customerId };
}
