import { parseOnlineRetailLine, parseUtcDateTime } from '../../src/importers/online-retail/online-retail-record';

const line = (fields: string[], n = 2) => parseOnlineRetailLine(fields, n, fields.join(','));
const row = (
  over: Partial<Record<'inv' | 'code' | 'desc' | 'qty' | 'date' | 'price' | 'cust' | 'country', string>> = {},
) => [
  over.inv ?? '536365',
  over.code ?? '85123A',
  over.desc ?? 'WHITE HANGING HEART T-LIGHT HOLDER',
  over.qty ?? '6',
  over.date ?? '2010-12-01 08:26:00',
  over.price ?? '2.55',
  over.cust ?? '17850.0',
  over.country ?? 'United Kingdom',
];

describe('parseOnlineRetailLine (the cleaning rules)', () => {
  it('reads a purchase: 17850.0 becomes 17850, the date is UTC', () => {
    expect(line(row())).toEqual({
      kind: 'purchase',
      line: 2,
      invoiceNo: '536365',
      stockCode: '85123A',
      description: 'WHITE HANGING HEART T-LIGHT HOLDER',
      quantity: 6,
      occurredAt: new Date('2010-12-01T08:26:00Z'),
      unitPrice: 2.55,
      customerId: '17850',
      country: 'United Kingdom',
    });
  });

  it('treats a cancellation (C invoice) as a return', () => {
    expect(line(row({ inv: 'C536379', qty: '-1' }))).toMatchObject({
      kind: 'return',
      cancellation: true,
      quantity: -1,
    });
  });

  it('treats a negative quantity without C as a return too', () => {
    expect(line(row({ qty: '-12' }))).toMatchObject({ kind: 'return', cancellation: false, quantity: -12 });
  });

  it.each(['POST', 'DOT', 'M', 'C2', 'BANK CHARGES', 'AMAZONFEE'])(
    'skips %s: postage and fees are not products',
    (code) => {
      expect(line(row({ code }))).toMatchObject({ kind: 'skipped-non-product', stockCode: code, customerId: '17850' });
    },
  );

  it('skips a line without CustomerID (counted, not imported)', () => {
    expect(line(row({ cust: '' }))).toMatchObject({ kind: 'skipped-no-customer', customerId: null });
  });

  it.each([
    [row().slice(0, 7), 'expected 8 columns, got 7'],
    [[...row(), 'extra'], 'expected 8 columns, got 9'],
    [row({ inv: '' }), 'empty InvoiceNo'],
    [row({ code: ' ' }), 'empty StockCode'],
    [row({ qty: 'six' }), 'Quantity "six" is not an integer'],
    [row({ qty: '1.5' }), 'Quantity "1.5" is not an integer'],
    [row({ qty: '0' }), 'Quantity is zero'],
    [row({ date: '01/12/2010 08:26' }), 'InvoiceDate "01/12/2010 08:26" is not a valid YYYY-MM-DD HH:MM:SS'],
    [row({ date: '2011-02-30 10:00:00' }), 'InvoiceDate "2011-02-30 10:00:00" is not a valid YYYY-MM-DD HH:MM:SS'],
    [row({ price: 'abc' }), 'UnitPrice "abc" is not a number'],
    [row({ price: '-11062.06' }), 'UnitPrice -11062.06 is negative'],
    [row({ cust: 'x17850' }), 'CustomerID "x17850" is not a whole number'],
    [row({ code: 'X'.repeat(256) }), 'StockCode longer than 255 characters'],
    [row({ inv: '9'.repeat(101) }), 'InvoiceNo longer than 100 characters'],
  ])('rejects a malformed line: %j -> %s', (fields, reason) => {
    expect(line(fields, 7)).toEqual({ kind: 'rejected', line: 7, reason, raw: fields.join(',') });
  });
});

describe('parseUtcDateTime', () => {
  it('reads YYYY-MM-DD HH:MM:SS as UTC and refuses impossible times', () => {
    expect(parseUtcDateTime('2011-12-09 12:50:00')?.toISOString()).toBe('2011-12-09T12:50:00.000Z');
    expect(parseUtcDateTime('2011-12-09 24:00:00')).toBeUndefined();
    expect(parseUtcDateTime('2011-13-01 00:00:00')).toBeUndefined();
  });
});
