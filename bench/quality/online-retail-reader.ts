// A minimal reader of the UCI Online Retail file for the quality benchmark (the importers branch
// has the project's full importer; this bench only needs purchases as interactions.csv rows).
// Cleaning: rows without CustomerID, cancellations (InvoiceNo C...), non-positive quantity or
// price, and non-product codes (POST, M, BANK CHARGES...: StockCode not starting with a digit).
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';

export const ONLINE_RETAIL = '/work/shared/datasets/online-retail/online_retail.csv.gz';

/** interactions.csv text (REFERENCE.md format): one purchase line per cleaned order line. */
export async function onlineRetailInteractionsCsv(file = ONLINE_RETAIL): Promise<{ csv: string; rows: number; dropped: number }> {
  const parser = createReadStream(file).pipe(createGunzip()).pipe(parse({ columns: true, relax_quotes: true }));
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE'];
  let dropped = 0;
  for await (const rec of parser as AsyncIterable<Record<string, string>>) {
    const customer = (rec.CustomerID ?? '').trim();
    const code = (rec.StockCode ?? '').trim().toUpperCase();
    const qty = Number(rec.Quantity);
    const price = Number(rec.UnitPrice);
    const ts = Date.parse(`${(rec.InvoiceDate ?? '').replace(' ', 'T')}Z`) / 1000;
    if (!customer || (rec.InvoiceNo ?? '').startsWith('C') || !(qty > 0) || !(price > 0) || !/^\d/.test(code) || !Number.isFinite(ts)) {
      dropped += 1;
      continue;
    }
    lines.push(`${customer.replace(/\.0$/, '')},${code},${ts},purchase,${qty}`);
  }
  return { csv: lines.join('\n') + '\n', rows: lines.length - 1, dropped };
}
