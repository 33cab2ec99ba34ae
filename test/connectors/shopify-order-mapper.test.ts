import { mapOrder, orderStatus, shopifyId, type ShopifyOrder } from '../../src/connectors/shopify/order-mapper';
import { parseRetryAfter } from '../../src/connectors/shopify/admin-client';
import { normalizeWebhookOrder, orderPayload } from '../../src/connectors/shopify/webhook-payloads';

const product = (id: string) => ({ id, name: `P${id}`, category: 'Shoes', price: 10, authoritative: true });
const base = (): ShopifyOrder => ({
  id: '1',
  createdAt: new Date('2024-01-01T00:00:00Z'),
  updatedAt: new Date('2024-01-02T00:00:00Z'),
  cancelledAt: null,
  customer: { id: 'c1', city: 'Lahore', province: 'Punjab' },
  lineItems: [
    { id: 'l1', quantity: 2, unitPrice: 10, product: product('p1') },
    { id: 'l2', quantity: 1, unitPrice: 5, product: product('p2') },
  ],
  refunds: [],
});

describe('mapOrder', () => {
  it('turns each line into a purchase keyed by order and line', () => {
    const rows = mapOrder(base());
    expect(rows.items.map((i) => [i.lineKey, i.eventType, i.quantity])).toEqual([
      ['shopify:1:l1', 'purchase', 2],
      ['shopify:1:l2', 'purchase', 1],
    ]);
    expect(rows.order).toMatchObject({ id: '1', customerId: 'c1', status: 'placed' });
  });

  it('turns refund lines into returns, and a cancellation returns only what refunds did not', () => {
    const o = base();
    o.refunds = [
      {
        id: 'r1',
        createdAt: new Date('2024-01-03T00:00:00Z'),
        lines: [{ id: 'rl1', lineItemId: 'l1', productId: null, quantity: 1, unitPrice: 10 }],
      },
    ];
    o.cancelledAt = new Date('2024-01-04T00:00:00Z');
    const returns = mapOrder(o).items.filter((i) => i.eventType === 'return');
    expect(returns.map((i) => [i.lineKey, i.productId, i.quantity])).toEqual([
      ['shopify:refund:rl1', 'p1', 1],
      ['shopify:cancel:l1', 'p1', 1],
      ['shopify:cancel:l2', 'p2', 1],
    ]);
    expect(orderStatus(o)).toBe('cancelled');
  });

  it('quarantines guest orders and product-less lines with a reason instead of dropping them', () => {
    const guest = { ...base(), customer: null };
    expect(mapOrder(guest)).toMatchObject({
      order: null,
      items: [],
      quarantined: [{ file: 'order/1', reason: expect.stringMatching(/guest/) as unknown }],
    });
    const custom = base();
    custom.lineItems.push({ id: 'l3', quantity: 1, unitPrice: 2, product: null });
    const rows = mapOrder(custom);
    expect(rows.items).toHaveLength(2);
    expect(rows.quarantined).toEqual([expect.objectContaining({ file: 'order/1/line/l3' })]);
  });

  it('reads the same ids from GraphQL gids and webhook numbers', () => {
    expect(shopifyId('gid://shopify/Order/450789469')).toBe('450789469');
    expect(shopifyId(450789469)).toBe('450789469');
    const order = normalizeWebhookOrder(
      orderPayload.parse({
        id: 450789469,
        created_at: '2024-01-01T10:00:00-05:00',
        updated_at: '2024-01-01T10:00:00-05:00',
        customer: { id: 207119551, default_address: { city: 'Ottawa', province: 'Ontario' } },
        line_items: [{ id: 466157049, product_id: 632910392, quantity: 1, price: '199.00', title: 'IPod Nano' }],
      }),
    );
    expect(mapOrder(order).items[0]).toMatchObject({
      lineKey: 'shopify:450789469:466157049',
      customerId: '207119551',
      productId: '632910392',
      unitPrice: 199,
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds (fractional too) and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.25')).toBe(250);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inFive = new Date(Date.now() + 5000).toUTCString();
    expect(parseRetryAfter(inFive)).toBeGreaterThan(3000);
  });
});
