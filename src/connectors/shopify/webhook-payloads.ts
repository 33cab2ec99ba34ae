// The REST-shaped JSON bodies Shopify sends for the webhook topics we handle (numeric ids,
// snake_case), checked and turned into the connector's own shapes.
import { z } from 'zod';
import {
  money,
  refundLineId,
  shopifyId,
  type ShopifyAttribute,
  type ShopifyCustomer,
  type ShopifyOrder,
  type ShopifyProduct,
  type ShopifyRefund,
} from './order-mapper';

export const HANDLED_TOPICS = [
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'refunds/create',
  'products/update',
  'products/delete',
  'customers/update',
  // Shopify's mandatory compliance topics.
  'customers/data_request',
  'customers/redact',
  'shop/redact',
] as const;
export type HandledTopic = (typeof HANDLED_TOPICS)[number];

export function isHandledTopic(topic: string): topic is HandledTopic {
  return (HANDLED_TOPICS as readonly string[]).includes(topic);
}

const id = z.union([z.number().int(), z.string().min(1)]);
const time = z.iso.datetime({ offset: true });
const address = z.object({ city: z.string().nullish(), province: z.string().nullish() }).nullish();
const customer = z.object({ id, updated_at: time.nullish(), default_address: address });

// Storefront-set name/value pairs; Shopify sends any JSON value, so non-strings are kept as text.
const attribute = z.object({
  name: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
});
const attributes = z.array(attribute).nullish();

const refundLine = z.object({
  id: id.nullish(),
  line_item_id: id,
  quantity: z.number().int(),
  subtotal: z.union([z.string(), z.number()]).nullish(),
  line_item: z.object({ product_id: id.nullish(), price: z.union([z.string(), z.number()]).nullish() }).nullish(),
});
const refund = z.object({ id, order_id: id.optional(), created_at: time, refund_line_items: z.array(refundLine) });

export const orderPayload = z.object({
  id,
  created_at: time,
  updated_at: time,
  cancelled_at: time.nullish(),
  customer: customer.nullish(),
  line_items: z.array(
    z.object({
      id,
      product_id: id.nullish(),
      quantity: z.number().int(),
      price: z.union([z.string(), z.number()]).nullish(),
      title: z.string().nullish(),
      properties: attributes,
    }),
  ),
  note_attributes: attributes,
  refunds: z.array(refund).default([]),
});
export const refundPayload = refund.extend({ order_id: id });
const variant = z.object({
  price: z.union([z.string(), z.number()]).nullish(),
  inventory_quantity: z.number().nullish(),
  /** deny: no sale past 0; continue: oversell. */
  inventory_policy: z.string().nullish(),
  /** null when Shopify does not track the variant's stock (older payload versions; absent in newer ones). */
  inventory_management: z.string().nullish(),
});
export const productPayload = z.object({
  id,
  updated_at: time.nullish(),
  title: z.string().nullish(),
  product_type: z.string().nullish(),
  status: z.enum(['active', 'archived', 'draft']).nullish(),
  variants: z.array(variant).default([]),
});
export const productDeletePayload = z.object({ id });
export const customerPayload = customer;
const complianceCustomer = z.object({ id });
export const customerRedactPayload = z.object({
  shop_domain: z.string().nullish(),
  customer: complianceCustomer,
  orders_to_redact: z.array(id).default([]),
});
export const customerDataRequestPayload = z.object({
  shop_domain: z.string().nullish(),
  customer: complianceCustomer,
  orders_requested: z.array(id).default([]),
  data_request: z.object({ id }).nullish(),
});
export const shopRedactPayload = z.object({ shop_domain: z.string().nullish() });

function normalizeRefund(r: z.infer<typeof refund>): ShopifyRefund {
  const refundId = shopifyId(r.id);
  return {
    id: refundId,
    createdAt: new Date(r.created_at),
    lines: r.refund_line_items.map((l) => {
      const lineItemId = shopifyId(l.line_item_id);
      const subtotal = money(l.subtotal ?? null);
      return {
        id: refundLineId(l.id, refundId, lineItemId),
        lineItemId,
        productId: l.line_item?.product_id ? shopifyId(l.line_item.product_id) : null,
        quantity: l.quantity,
        unitPrice:
          money(l.line_item?.price ?? null) ?? (subtotal !== null && l.quantity > 0 ? subtotal / l.quantity : null),
      };
    }),
  };
}

function normalizeAttributes(a: z.infer<typeof attributes>): ShopifyAttribute[] {
  return (a ?? []).map((x) => ({
    name: x.name,
    value: x.value === null || x.value === undefined ? null : String(x.value),
  }));
}

export function normalizeWebhookOrder(p: z.infer<typeof orderPayload>): ShopifyOrder {
  return {
    id: shopifyId(p.id),
    createdAt: new Date(p.created_at),
    updatedAt: new Date(p.updated_at),
    cancelledAt: p.cancelled_at ? new Date(p.cancelled_at) : null,
    customer: p.customer ? normalizeWebhookCustomer(p.customer) : null,
    lineItems: p.line_items.map((l) => ({
      id: shopifyId(l.id),
      quantity: l.quantity,
      unitPrice: money(l.price ?? null),
      // A line carries the title and price at the time of sale, not the catalogue's: fill gaps only.
      product: l.product_id
        ? {
            id: shopifyId(l.product_id),
            name: l.title ?? null,
            category: null,
            price: money(l.price ?? null),
            authoritative: false,
          }
        : null,
      attributes: normalizeAttributes(l.properties),
    })),
    attributes: normalizeAttributes(p.note_attributes),
    refunds: p.refunds.map(normalizeRefund),
  };
}

export function normalizeWebhookRefund(p: z.infer<typeof refundPayload>): { orderId: string; refund: ShopifyRefund } {
  return { orderId: shopifyId(p.order_id), refund: normalizeRefund(p) };
}

/** A variant can be sold unless its stock is tracked, at 0 or below, and overselling is denied. */
function sellable(v: z.infer<typeof variant>): boolean {
  if (v.inventory_management === null) return true;
  if (v.inventory_quantity === null || v.inventory_quantity === undefined) return true;
  return v.inventory_quantity > 0 || v.inventory_policy === 'continue';
}

export function normalizeWebhookProduct(p: z.infer<typeof productPayload>): ShopifyProduct {
  const prices = p.variants.map((v) => money(v.price ?? null)).filter((n): n is number => n !== null);
  return {
    id: shopifyId(p.id),
    name: p.title ?? null,
    category: p.product_type ? p.product_type : null,
    price: prices.length ? Math.min(...prices) : null,
    authoritative: true,
    updatedAt: p.updated_at ? new Date(p.updated_at) : null,
    availability: {
      status: p.status ?? 'active',
      inStock: p.variants.length === 0 || p.variants.some(sellable),
    },
  };
}

export function normalizeWebhookCustomer(p: z.infer<typeof customerPayload>): ShopifyCustomer {
  return {
    id: shopifyId(p.id),
    city: p.default_address?.city ?? null,
    province: p.default_address?.province ?? null,
    updatedAt: p.updated_at ? new Date(p.updated_at) : null,
  };
}
