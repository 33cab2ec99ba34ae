// The Admin GraphQL documents the sync sends, and the shapes it accepts back (the pinned version's schema, SHOPIFY_API_VERSION:
// orders(query:, sortKey: UPDATED_AT), pageInfo { hasNextPage endCursor }, Order.cancelledAt,
// Order.refunds, RefundLineItem, Customer.defaultAddress, Product.productType / priceRangeV2).
// Page structure is checked strictly (a malformed page is retried); each order is checked on its
// own so one bad order is quarantined instead of failing its page.
import { z } from 'zod';
import {
  money,
  refundLineId,
  shopifyId,
  type ShopifyAttribute,
  type ShopifyLineItem,
  type OrderRows,
  type ShopifyOrder,
} from './order-mapper';

/** Order.refunds is a plain list: when the page's first 10 are all there may be, read up to 250. */
export const PAGE_REFUNDS = 10;

const LINE_ITEM_FIELDS = `
fragment SyncLineItem on LineItem {
  id
  quantity
  originalUnitPriceSet { shopMoney { amount } }
  product { id title productType priceRangeV2 { minVariantPrice { amount } } }
  customAttributes { key value }
}`;

const REFUND_LINE_FIELDS = `
fragment SyncRefundLine on RefundLineItem {
  id
  quantity
  priceSet { shopMoney { amount } }
  lineItem { id product { id } }
}`;

export const ORDERS_QUERY = `
query SyncOrders($first: Int!, $after: String, $query: String, $lineItems: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      createdAt
      updatedAt
      cancelledAt
      customer { id defaultAddress { city province } }
      customAttributes { key value }
      lineItems(first: $lineItems) { pageInfo { hasNextPage endCursor } nodes { ...SyncLineItem } }
      refunds(first: ${PAGE_REFUNDS}) { id createdAt }
    }
  }
}
${LINE_ITEM_FIELDS}`;

export const ORDERS_COUNT_QUERY = `
query SyncOrdersCount($query: String) {
  ordersCount(query: $query, limit: null) { count precision }
}`;

export const MORE_LINE_ITEMS_QUERY = `
query SyncMoreLineItems($id: ID!, $first: Int!, $after: String) {
  order(id: $id) { lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...SyncLineItem } } }
}
${LINE_ITEM_FIELDS}`;

export const ALL_REFUNDS_QUERY = `
query SyncAllRefunds($id: ID!) {
  order(id: $id) { refunds(first: 250) { id createdAt } }
}`;

// Refund lines are read per refund: nesting them in the orders page would multiply its query cost
// past Shopify's 1,000-point limit for a single query.
export const REFUND_LINES_BATCH_QUERY = `
query SyncRefundLinesBatch($ids: [ID!]!, $first: Int!) {
  nodes(ids: $ids) { ... on Refund { id refundLineItems(first: $first) { pageInfo { hasNextPage endCursor } nodes { ...SyncRefundLine } } } }
}
${REFUND_LINE_FIELDS}`;
/** Refunds per batch and lines per refund in it: 8 x (1 + 2 + 20 x 5) stays under 1,000 points. */
export const REFUND_BATCH = { ids: 8, lines: 20, costPerId: 1 + 2 + 20 * 5 };

export const REFUND_LINES_QUERY = `
query SyncRefundLines($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Refund { refundLineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...SyncRefundLine } } } }
}
${REFUND_LINE_FIELDS}`;

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const moneyBag = z.object({ shopMoney: z.object({ amount: z.union([z.string(), z.number()]) }) });

// Line item properties and cart attributes (Attribute { key value }); absent from older stored pages.
const customAttributes = z.array(z.object({ key: z.string(), value: z.string().nullish() })).nullish();
type CustomAttributes = z.infer<typeof customAttributes>;
const attributesOf = (a: CustomAttributes): ShopifyAttribute[] =>
  (a ?? []).map((x) => ({ name: x.key, value: x.value ?? null }));

const lineItemNode = z.object({
  id: z.string().min(1),
  quantity: z.number().int(),
  originalUnitPriceSet: moneyBag.nullish(),
  product: z
    .object({
      id: z.string().min(1),
      title: z.string().nullish(),
      productType: z.string().nullish(),
      priceRangeV2: z.object({ minVariantPrice: z.object({ amount: z.union([z.string(), z.number()]) }) }).nullish(),
    })
    .nullish(),
  customAttributes,
});
export type LineItemNode = z.infer<typeof lineItemNode>;

const refundLineNode = z.object({
  id: z.string().nullish(),
  quantity: z.number().int(),
  priceSet: moneyBag.nullish(),
  lineItem: z.object({ id: z.string().min(1), product: z.object({ id: z.string() }).nullish() }),
});
export type RefundLineNode = z.infer<typeof refundLineNode>;

const lineItemConnection = z.object({ pageInfo, nodes: z.array(lineItemNode) });
const refundLineConnection = z.object({ pageInfo, nodes: z.array(refundLineNode) });

export const orderNode = z.object({
  id: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  cancelledAt: z.iso.datetime({ offset: true }).nullish(),
  customer: z
    .object({
      id: z.string().min(1),
      defaultAddress: z.object({ city: z.string().nullish(), province: z.string().nullish() }).nullish(),
    })
    .nullish(),
  customAttributes,
  lineItems: lineItemConnection,
  refunds: z.array(z.object({ id: z.string().min(1), createdAt: z.iso.datetime({ offset: true }) })),
});
export type OrderNode = z.infer<typeof orderNode>;

/**
 * An order the Admin API sent that does not parse (paged and bulk sync alike): nothing of it is
 * stored but its quarantine row, keyed by `file` (the order's id when it has one), so a fixed
 * replay can find it.
 */
export function malformedOrder(file: string, error: z.ZodError, raw: unknown): OrderRows {
  const issue = error.issues[0];
  return {
    order: null,
    customer: null,
    products: [],
    items: [],
    quarantined: [
      { file, reason: `malformed order from the Admin API: ${issue?.path.join('.')} ${issue?.message}`, raw },
    ],
  };
}
/** An order node with every line item and every refund's lines read. */
export type FullOrderNode = Omit<OrderNode, 'refunds'> & {
  refunds: (OrderNode['refunds'][number] & { refundLineItems: { nodes: RefundLineNode[] } })[];
};

export const ordersPage = z.object({
  orders: z.object({ pageInfo, nodes: z.array(z.unknown()) }),
});
export const ordersCount = z.object({
  ordersCount: z.object({ count: z.number().int(), precision: z.string() }).nullable(),
});
export const moreLineItems = z.object({ order: z.object({ lineItems: lineItemConnection }).nullable() });
export const allRefunds = z.object({
  order: z
    .object({ refunds: z.array(z.object({ id: z.string().min(1), createdAt: z.iso.datetime({ offset: true }) })) })
    .nullable(),
});
export const refundLinesBatch = z.object({
  nodes: z.array(z.object({ id: z.string().min(1), refundLineItems: refundLineConnection }).nullable()),
});
export const refundLines = z.object({ node: z.object({ refundLineItems: refundLineConnection }).nullable() });

function lineItem(node: LineItemNode): ShopifyLineItem {
  const p = node.product;
  return {
    id: shopifyId(node.id),
    quantity: node.quantity,
    unitPrice: money(node.originalUnitPriceSet?.shopMoney.amount),
    product: p
      ? {
          id: shopifyId(p.id),
          name: p.title ?? null,
          category: p.productType ? p.productType : null,
          price: money(p.priceRangeV2?.minVariantPrice.amount),
          authoritative: true,
        }
      : null,
    attributes: attributesOf(node.customAttributes),
  };
}

/** An order node whose nested connections were completed by the caller. */
export function normalizeGraphqlOrder(node: FullOrderNode): ShopifyOrder {
  const address = node.customer?.defaultAddress;
  return {
    id: shopifyId(node.id),
    createdAt: new Date(node.createdAt),
    updatedAt: new Date(node.updatedAt),
    cancelledAt: node.cancelledAt ? new Date(node.cancelledAt) : null,
    customer: node.customer
      ? { id: shopifyId(node.customer.id), city: address?.city ?? null, province: address?.province ?? null }
      : null,
    lineItems: node.lineItems.nodes.map(lineItem),
    attributes: attributesOf(node.customAttributes),
    refunds: node.refunds.map((r) => {
      const refundId = shopifyId(r.id);
      return {
        id: refundId,
        createdAt: new Date(r.createdAt),
        lines: r.refundLineItems.nodes.map((l) => {
          const lineItemId = shopifyId(l.lineItem.id);
          return {
            id: refundLineId(l.id, refundId, lineItemId),
            lineItemId,
            productId: l.lineItem.product ? shopifyId(l.lineItem.product.id) : null,
            quantity: l.quantity,
            unitPrice: money(l.priceSet?.shopMoney.amount),
          };
        }),
      };
    }),
  };
}
