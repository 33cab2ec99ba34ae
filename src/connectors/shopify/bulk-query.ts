// The Admin GraphQL documents of a bulk first sync (bulkOperationRunQuery, polling the operation
// by id) and the shapes accepted back. A bulk query has no `first`/`after`: Shopify runs it over
// every order and writes one JSONL line per node, a connection's nodes (line items) on lines of
// their own carrying `__parentId`; a plain list (refunds) stays inside its order's line. Since
// 2026-01 `groupObjects` defaults to false (children anywhere in the file): the sync asks for
// grouping, so an order's line items follow it and the file streams one order at a time.
import { z } from 'zod';

/** Orders with line items and customer, the same fields as the paged sync reads (refund lines follow up). */
export const BULK_ORDERS_QUERY = `{
  orders(sortKey: UPDATED_AT) {
    edges {
      node {
        id
        createdAt
        updatedAt
        cancelledAt
        customer { id defaultAddress { city province } }
        customAttributes { key value }
        refunds { id createdAt }
        lineItems {
          edges {
            node {
              id
              quantity
              originalUnitPriceSet { shopMoney { amount } }
              product { id title productType priceRangeV2 { minVariantPrice { amount } } }
              customAttributes { key value }
            }
          }
        }
      }
    }
  }
}`;

/** The catalogue, for products no order has sold yet (status and stock stay what the webhooks set). */
export const BULK_PRODUCTS_QUERY = `{
  products {
    edges {
      node { id title productType priceRangeV2 { minVariantPrice { amount } } }
    }
  }
}`;

export const productLine = z.object({
  id: z.string().min(1),
  title: z.string().nullish(),
  productType: z.string().nullish(),
  priceRangeV2: z.object({ minVariantPrice: z.object({ amount: z.union([z.string(), z.number()]) }) }).nullish(),
});

export const BULK_RUN_MUTATION = `
mutation SyncBulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message }
  }
}`;

export const BULK_POLL_QUERY = `
query SyncBulkPoll($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl }
  }
}`;

const count = z.union([z.string(), z.number()]).transform((v) => Number(v));

export const bulkRun = z.object({
  bulkOperationRunQuery: z
    .object({
      bulkOperation: z.object({ id: z.string().min(1), status: z.string() }).nullable(),
      userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string() })),
    })
    .nullable(),
});

export const bulkStatus = z.enum(['CREATED', 'RUNNING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED', 'EXPIRED']);
export const bulkPoll = z.object({
  node: z
    .object({
      id: z.string(),
      status: bulkStatus,
      errorCode: z.string().nullish(),
      // UnsignedInt64 is serialised as a string.
      objectCount: count,
      rootObjectCount: count.nullish(),
      url: z.string().nullish(),
      partialDataUrl: z.string().nullish(),
    })
    .nullable(),
});
export type BulkPoll = NonNullable<z.infer<typeof bulkPoll>['node']>;
