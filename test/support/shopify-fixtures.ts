// A deterministic in-memory Shopify store for tests: products, customers, orders with line items,
// refunds and cancellations, plus builders for the REST-shaped webhook bodies Shopify sends.
export interface FxProduct {
  id: number;
  title: string;
  productType: string;
  price: string;
}
export interface FxCustomer {
  id: number;
  city: string | null;
  province: string | null;
}
export interface FxLine {
  id: number;
  productId: number | null;
  quantity: number;
  price: string;
  title: string;
  /** Line item properties (GraphQL customAttributes), e.g. a recommendationId the storefront carried. */
  attributes?: FxAttribute[];
}
export interface FxAttribute {
  key: string;
  value: string | null;
}
export interface FxRefund {
  id: number;
  createdAt: string;
  lines: { id: number; lineItemId: number; quantity: number }[];
}
export interface FxOrder {
  id: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  customerId: number | null;
  lines: FxLine[];
  refunds: FxRefund[];
  /** Cart attributes (REST note_attributes, GraphQL customAttributes). */
  attributes?: FxAttribute[];
  /** Served with an invalid createdAt: the sync must quarantine it, not fail. */
  corrupt?: boolean;
}

const CITIES: [string, string][] = [
  ['Lahore', 'Punjab'],
  ['Karachi', 'Sindh'],
  ['Toronto', 'Ontario'],
  ['Austin', 'Texas'],
];
const TYPES = ['Shoes', 'Shirts', 'Bags', ''];

export class FxStore {
  readonly products = new Map<number, FxProduct>();
  readonly customers = new Map<number, FxCustomer>();
  readonly orders = new Map<number, FxOrder>();
  private ids = { line: 100_000, refund: 200_000, refundLine: 300_000, order: 10_000 };
  private clock = Date.parse('2024-01-01T00:00:00Z');
  private seed: number;

  constructor(seed = 7) {
    this.seed = seed;
  }

  private rand(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return this.seed / 2_147_483_648;
  }
  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rand() * xs.length)] as T;
  }
  /** Shopify timestamps have second precision; several orders may share one. */
  tick(seconds = 1): string {
    this.clock += seconds * 1000;
    return new Date(this.clock).toISOString().replace('.000Z', 'Z');
  }

  static generate(opts: { orders: number; seed?: number }): FxStore {
    const s = new FxStore(opts.seed);
    for (let i = 0; i < 30; i++) {
      s.products.set(1000 + i, {
        id: 1000 + i,
        title: `Product ${i}`,
        productType: TYPES[i % TYPES.length] as string,
        price: (10 + i).toFixed(2),
      });
    }
    for (let i = 0; i < 40; i++) {
      const [city, province] = i % 10 === 9 ? [null, null] : (CITIES[i % CITIES.length] as [string, string]);
      s.customers.set(5000 + i, { id: 5000 + i, city, province });
    }
    for (let i = 0; i < opts.orders; i++) {
      const guest = i % 20 === 19;
      const order = s.addOrder(
        guest ? null : s.pick([...s.customers.keys()]),
        1 + Math.floor(s.rand() * 4),
        i % 3 === 0 ? 0 : 1,
      );
      if (i % 25 === 3)
        order.lines.push({ id: s.ids.line++, productId: null, quantity: 1, price: '5.00', title: 'Gift wrap' });
      if (i % 10 === 4) s.refund(order.id, [{ lineItemId: (order.lines[0] as FxLine).id, quantity: 1 }], false);
      if (i % 17 === 5) s.cancel(order.id, i % 2 === 0, false);
    }
    // One order with more lines than one request asks for, and a refund of more lines than one page.
    const big = s.addOrder(5001, 60, 1);
    s.refund(
      big.id,
      big.lines.map((l) => ({ lineItemId: l.id, quantity: 1 })),
      false,
    );
    // More refunds than the orders page lists (10): the rest must be read too.
    const many = s.addOrder(5004, 12, 1);
    for (const l of many.lines) s.refund(many.id, [{ lineItemId: l.id, quantity: 1 }], false);
    const bad = s.addOrder(5002, 1, 1);
    bad.corrupt = true;
    return s;
  }

  addOrder(customerId: number | null, lines: number, secondsLater = 1): FxOrder {
    const at = this.tick(secondsLater);
    const order: FxOrder = {
      id: this.ids.order++,
      createdAt: at,
      updatedAt: at,
      cancelledAt: null,
      customerId,
      lines: [],
      refunds: [],
    };
    for (let j = 0; j < lines; j++) {
      const p = this.pick([...this.products.values()]);
      order.lines.push({
        id: this.ids.line++,
        productId: p.id,
        quantity: 1 + Math.floor(this.rand() * 3),
        price: p.price,
        title: p.title,
      });
    }
    this.orders.set(order.id, order);
    return order;
  }

  refund(orderId: number, lines: { lineItemId: number; quantity: number }[], touch = true): FxRefund {
    const order = this.orders.get(orderId) as FxOrder;
    const refund: FxRefund = {
      id: this.ids.refund++,
      createdAt: this.tick(0),
      lines: lines.map((l) => ({ id: this.ids.refundLine++, ...l })),
    };
    order.refunds.push(refund);
    order.updatedAt = touch ? this.tick() : refund.createdAt;
    return refund;
  }

  /** Cancels an order; with `refundAll` Shopify also refunds every line (restock type CANCEL). */
  cancel(orderId: number, refundAll: boolean, touch = true): FxOrder {
    const order = this.orders.get(orderId) as FxOrder;
    if (refundAll) {
      const already = new Map<number, number>();
      for (const r of order.refunds)
        for (const l of r.lines) already.set(l.lineItemId, (already.get(l.lineItemId) ?? 0) + l.quantity);
      const rest = order.lines
        .map((l) => ({ lineItemId: l.id, quantity: l.quantity - (already.get(l.id) ?? 0) }))
        .filter((l) => l.quantity > 0);
      if (rest.length) this.refund(orderId, rest, false);
    }
    order.cancelledAt = this.tick(0);
    order.updatedAt = touch ? this.tick() : order.cancelledAt;
    return order;
  }

  /** What a correct import holds: one row per purchase line, refund line and unrefunded cancelled line. */
  expected(): { orders: number; purchases: number; returns: number; returnedQty: number; quarantinedOrders: number } {
    let orders = 0,
      purchases = 0,
      returns = 0,
      returnedQty = 0,
      quarantinedOrders = 0;
    for (const o of this.orders.values()) {
      if (o.corrupt || o.customerId === null) {
        quarantinedOrders += 1;
        continue;
      }
      orders += 1;
      const withProduct = o.lines.filter((l) => l.productId !== null);
      purchases += withProduct.length;
      const refunded = new Map<number, number>();
      for (const r of o.refunds) {
        for (const l of r.lines) {
          if (!withProduct.some((x) => x.id === l.lineItemId)) continue;
          returns += 1;
          returnedQty += l.quantity;
          refunded.set(l.lineItemId, (refunded.get(l.lineItemId) ?? 0) + l.quantity);
        }
      }
      if (o.cancelledAt) {
        for (const l of withProduct) {
          const rest = l.quantity - (refunded.get(l.id) ?? 0);
          if (rest > 0) {
            returns += 1;
            returnedQty += rest;
          }
        }
      }
    }
    return { orders, purchases, returns, returnedQty, quarantinedOrders };
  }
}

// ---------- webhook bodies (REST shapes: numeric ids, snake_case) ----------

export function webhookOrder(store: FxStore, order: FxOrder): Record<string, unknown> {
  const c = order.customerId === null ? null : store.customers.get(order.customerId);
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt,
    customer: c ? { id: c.id, default_address: c.city ? { city: c.city, province: c.province } : null } : null,
    line_items: order.lines.map((l) => ({
      id: l.id,
      product_id: l.productId,
      quantity: l.quantity,
      price: l.price,
      title: l.title,
      properties: (l.attributes ?? []).map((a) => ({ name: a.key, value: a.value })),
    })),
    note_attributes: (order.attributes ?? []).map((a) => ({ name: a.key, value: a.value })),
    refunds: order.refunds.map((r) => webhookRefund(order, r)),
  };
}

export function webhookRefund(order: FxOrder, refund: FxRefund): Record<string, unknown> {
  return {
    id: refund.id,
    order_id: order.id,
    created_at: refund.createdAt,
    refund_line_items: refund.lines.map((l) => {
      const line = order.lines.find((x) => x.id === l.lineItemId) as FxLine;
      return {
        id: l.id,
        line_item_id: l.lineItemId,
        quantity: l.quantity,
        subtotal: (Number(line.price) * l.quantity).toFixed(2),
        line_item: { id: line.id, product_id: line.productId, price: line.price },
      };
    }),
  };
}

export function webhookProduct(p: FxProduct): Record<string, unknown> {
  return { id: p.id, title: p.title, product_type: p.productType, variants: [{ id: p.id * 10, price: p.price }] };
}

export function webhookCustomer(c: FxCustomer): Record<string, unknown> {
  return { id: c.id, default_address: c.city ? { city: c.city, province: c.province } : null };
}
