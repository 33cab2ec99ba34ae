// One shape for a Shopify order, whichever door it came through (Admin GraphQL sync or a REST-shaped
// webhook), and the mapping from it to our rows. Ids are Shopify's numeric ids as strings (the
// same ids a storefront sends with recorded events); line keys make every re-import an upsert.

export interface ShopifyProduct {
  id: string;
  name: string | null;
  category: string | null;
  price: number | null;
  /** true when the data is the product's current catalogue data (sync, products/update), not a line's copy. */
  authoritative: boolean;
  /** Shopify's updated_at of this data, when the payload says (products/update); older data than stored is ignored. */
  updatedAt?: Date | null;
  /** Whether it may be recommended, when the payload says (products/update, products/delete); unknown keeps the stored. */
  availability?: ProductAvailability;
}

export type ProductStatus = 'active' | 'archived' | 'draft' | 'deleted';
export interface ProductAvailability {
  status: ProductStatus;
  inStock: boolean;
}

export interface ShopifyCustomer {
  id: string;
  city: string | null;
  province: string | null;
  /** Shopify's updated_at of this data, when the payload says; older data than stored is ignored. */
  updatedAt?: Date | null;
}

/** A name/value pair a storefront put on a line item (REST `properties`) or on the cart (`note_attributes`). */
export interface ShopifyAttribute {
  name: string;
  value: string | null;
}

/**
 * The names under which a storefront may carry the recommendationId of the list a product was
 * added from: on the line item's properties (a leading underscore hides it at checkout), or on the
 * cart's attributes for every line without its own. The first name found wins.
 */
export const RECOMMENDATION_ID_ATTRIBUTES = [
  '_recommendation_id',
  '_recommendationId',
  'recommendation_id',
  'recommendationId',
] as const;

/** Longer values cannot be one of ours (order_items.recommendation_id is 255 characters). */
const MAX_RECOMMENDATION_ID = 255;

export interface ShopifyLineItem {
  id: string;
  quantity: number;
  unitPrice: number | null;
  product: ShopifyProduct | null;
  /** Line item properties (GraphQL customAttributes). */
  attributes?: ShopifyAttribute[];
}

export interface ShopifyRefund {
  id: string;
  createdAt: Date;
  lines: { id: string; lineItemId: string; productId: string | null; quantity: number; unitPrice: number | null }[];
}

export interface ShopifyOrder {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  customer: ShopifyCustomer | null;
  lineItems: ShopifyLineItem[];
  refunds: ShopifyRefund[];
  /** Cart attributes (REST note_attributes, GraphQL customAttributes). */
  attributes?: ShopifyAttribute[];
}

export interface OrderItemRow {
  lineKey: string;
  orderId: string;
  customerId: string;
  productId: string;
  quantity: number;
  unitPrice: number | null;
  eventType: 'purchase' | 'return';
  eventValue: number;
  occurredAt: Date;
  /** The recommendationId the line carried (purchases only), see RECOMMENDATION_ID_ATTRIBUTES. */
  recommendationId: string | null;
}

export interface QuarantineEntry {
  /** Identifies the rejected thing; with line 0 it is the natural key of the quarantine row. */
  file: string;
  reason: string;
  raw: unknown;
}

export interface OrderRows {
  order: { id: string; customerId: string; status: string; orderedAt: Date; updatedAt: Date } | null;
  customer: ShopifyCustomer | null;
  products: ShopifyProduct[];
  items: OrderItemRow[];
  quarantined: QuarantineEntry[];
}

/** `gid://shopify/Order/123` -> `123`; plain numeric ids pass through. */
export function shopifyId(gidOrId: string | number): string {
  const s = String(gidOrId);
  const slash = s.lastIndexOf('/');
  const tail = slash >= 0 ? s.slice(slash + 1) : s;
  const q = tail.indexOf('?');
  return q >= 0 ? tail.slice(0, q) : tail;
}

export function money(amount: string | number | null | undefined): number | null {
  if (amount === null || amount === undefined || amount === '') return null;
  const n = Number(amount);
  return Number.isFinite(n) ? n : null;
}

export function orderStatus(order: ShopifyOrder): string {
  if (order.cancelledAt) return 'cancelled';
  const bought = order.lineItems.reduce((s, l) => s + l.quantity, 0);
  const refunded = order.refunds.reduce((s, r) => s + r.lines.reduce((t, l) => t + l.quantity, 0), 0);
  if (refunded === 0) return 'placed';
  return refunded >= bought ? 'refunded' : 'partially_refunded';
}

/** The recommendationId among these attributes, under the first accepted name that has a usable value. */
export function recommendationIdOf(attributes: ShopifyAttribute[] | undefined): string | null {
  if (!attributes?.length) return null;
  for (const name of RECOMMENDATION_ID_ATTRIBUTES) {
    const value = attributes.find((a) => a.name === name)?.value?.trim();
    if (value && value.length <= MAX_RECOMMENDATION_ID) return value;
  }
  return null;
}

/**
 * Purchases are the order's lines; refunds are returns (one per refund line); a cancelled order
 * returns whatever its refunds did not already return, so a cancel-with-refund counts once.
 */
export function mapOrder(order: ShopifyOrder): OrderRows {
  const rows: OrderRows = { order: null, customer: null, products: [], items: [], quarantined: [] };
  if (!order.customer) {
    rows.quarantined.push({
      file: `order/${order.id}`,
      reason: 'order has no customer (guest checkout); it cannot become an interaction',
      raw: order,
    });
    return rows;
  }
  const customerId = order.customer.id;
  rows.customer = order.customer;
  rows.order = {
    id: order.id,
    customerId,
    status: orderStatus(order),
    orderedAt: order.createdAt,
    updatedAt: order.updatedAt,
  };

  const cartRecommendationId = recommendationIdOf(order.attributes);
  const productOfLine = new Map<string, string>();
  const seenProducts = new Set<string>();
  for (const line of order.lineItems) {
    if (!line.product) {
      rows.quarantined.push({
        file: `order/${order.id}/line/${line.id}`,
        reason: 'line item has no product (custom item or deleted product)',
        raw: line,
      });
      continue;
    }
    productOfLine.set(line.id, line.product.id);
    if (!seenProducts.has(line.product.id)) {
      seenProducts.add(line.product.id);
      rows.products.push(line.product);
    }
    if (line.quantity <= 0) continue;
    rows.items.push({
      lineKey: `shopify:${order.id}:${line.id}`,
      orderId: order.id,
      customerId,
      productId: line.product.id,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      eventType: 'purchase',
      eventValue: 1,
      occurredAt: order.createdAt,
      recommendationId: recommendationIdOf(line.attributes) ?? cartRecommendationId,
    });
  }

  const refundedQty = new Map<string, number>();
  for (const refund of order.refunds) {
    for (const line of refund.lines) {
      const productId = line.productId ?? productOfLine.get(line.lineItemId);
      if (!productId) {
        rows.quarantined.push({
          file: `refund/${refund.id}/line/${line.id}`,
          reason: 'refund line refers to a line item without a product',
          raw: line,
        });
        continue;
      }
      refundedQty.set(line.lineItemId, (refundedQty.get(line.lineItemId) ?? 0) + line.quantity);
      if (line.quantity <= 0) continue;
      rows.items.push(refundLineRow(refund, line, order.id, customerId, productId));
    }
  }

  if (order.cancelledAt) {
    for (const line of order.lineItems) {
      const productId = productOfLine.get(line.id);
      const remaining = line.quantity - (refundedQty.get(line.id) ?? 0);
      if (!productId || remaining <= 0) continue;
      rows.items.push({
        lineKey: `shopify:cancel:${line.id}`,
        orderId: order.id,
        customerId,
        productId,
        quantity: remaining,
        unitPrice: line.unitPrice,
        eventType: 'return',
        eventValue: 1,
        occurredAt: order.cancelledAt,
        recommendationId: null,
      });
    }
  }
  return rows;
}

/** A refund line's own id when Shopify gives one; otherwise an id stable across both doors. */
/**
 * The return row of one refund line, for the order sync and the refunds/create webhook alike: its
 * line key is the refund line's own identity, so a return is stored once whichever path saw it first.
 */
export function refundLineRow(
  refund: ShopifyRefund,
  line: ShopifyRefund['lines'][number],
  orderId: string,
  customerId: string,
  productId: string,
): OrderItemRow {
  return {
    lineKey: `shopify:refund:${line.id}`,
    orderId,
    customerId,
    productId,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    eventType: 'return',
    eventValue: 1,
    occurredAt: refund.createdAt,
    recommendationId: null,
  };
}

export function refundLineId(id: string | number | null | undefined, refundId: string, lineItemId: string): string {
  return id === null || id === undefined ? `${refundId}-${lineItemId}` : shopifyId(id);
}
