// The part of the Shopify Admin GraphQL schema (the pinned version, SHOPIFY_API_VERSION) the fake server speaks, its connection
// slicing and its query-cost model: kept apart from the server so each reads at once.
import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export const SDL = `
scalar DateTime
scalar Decimal
interface Node { id: ID! }
enum OrderSortKeys { CREATED_AT UPDATED_AT ID PROCESSED_AT }
enum CountPrecision { EXACT AT_LEAST }
type Count { count: Int! precision: CountPrecision! }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type MoneyV2 { amount: Decimal! currencyCode: String! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
type MailingAddress { city: String province: String }
type Customer implements Node { id: ID! defaultAddress: MailingAddress }
type ProductPriceRangeV2 { minVariantPrice: MoneyV2! maxVariantPrice: MoneyV2! }
type Product implements Node { id: ID! title: String! productType: String! priceRangeV2: ProductPriceRangeV2! }
type Attribute { key: String! value: String }
type LineItem implements Node {
  id: ID! title: String! quantity: Int! originalUnitPriceSet: MoneyBag! product: Product customAttributes: [Attribute!]!
}
type LineItemEdge { node: LineItem! cursor: String! }
type LineItemConnection { pageInfo: PageInfo! nodes: [LineItem!]! edges: [LineItemEdge!]! }
type RefundLineItem { id: ID quantity: Int! priceSet: MoneyBag! lineItem: LineItem! }
type RefundLineItemConnection { pageInfo: PageInfo! nodes: [RefundLineItem!]! }
type Refund implements Node { id: ID! createdAt: DateTime refundLineItems(first: Int, after: String, last: Int, before: String): RefundLineItemConnection! }
type Order implements Node {
  id: ID! createdAt: DateTime! updatedAt: DateTime! cancelledAt: DateTime customer: Customer customAttributes: [Attribute!]!
  lineItems(first: Int, after: String, last: Int, before: String): LineItemConnection!
  refunds(first: Int): [Refund!]!
}
type OrderEdge { node: Order! cursor: String! }
type ProductEdge { node: Product! cursor: String! }
type ProductConnection { pageInfo: PageInfo! nodes: [Product!]! edges: [ProductEdge!]! }
type OrderConnection { pageInfo: PageInfo! nodes: [Order!]! edges: [OrderEdge!]! }
enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum BulkOperationType { QUERY MUTATION }
scalar UnsignedInt64
type BulkOperation implements Node {
  id: ID! status: BulkOperationStatus! errorCode: BulkOperationErrorCode objectCount: UnsignedInt64!
  rootObjectCount: UnsignedInt64! url: String partialDataUrl: String type: BulkOperationType! query: String!
}
type UserError { field: [String!] message: String! }
type BulkOperationRunQueryPayload { bulkOperation: BulkOperation userErrors: [UserError!]! }
type Mutation { bulkOperationRunQuery(query: String!, groupObjects: Boolean! = false): BulkOperationRunQueryPayload }
type Query {
  orders(first: Int, after: String, last: Int, before: String, query: String, sortKey: OrderSortKeys, reverse: Boolean): OrderConnection!
  ordersCount(query: String, limit: Int): Count
  order(id: ID!): Order
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  currentBulkOperation(type: BulkOperationType): BulkOperation
  products(first: Int, after: String, query: String): ProductConnection!
}`;

export interface ConnArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
}

export const money = (amount: string) => ({ amount, currencyCode: 'USD' });
export const moneyBag = (amount: string) => ({ shopMoney: money(amount), presentmentMoney: money(amount) });
export const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
export const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const keyOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;

class UserError extends Error {}

/** Slices a list the way Shopify's connections do; `first` is mandatory and capped at 250. */
export function connection<T>(items: T[], args: ConnArgs, key: (t: T) => string): { pageInfo: object; nodes: T[] } {
  if (args.first == null && args.last == null) throw new UserError('you must provide one of first or last');
  const first = args.first ?? 0;
  if (first > 250) throw new UserError('first cannot exceed 250');
  let start = 0;
  if (args.after) {
    let after: unknown;
    try {
      after = keyOf(args.after);
    } catch {
      throw new UserError(`Invalid cursor for current pagination sort.`);
    }
    const idx = items.findIndex((t) => key(t) === after);
    start = idx + 1;
    if (idx < 0) {
      // Shopify cursors encode the sort key, so a cursor stays valid when its row moved: resume after it.
      start = items.findIndex((t) => key(t) > String(after));
      if (start < 0) start = items.length;
    }
  }
  const nodes = items.slice(start, start + first);
  const last = nodes[nodes.length - 1];
  return {
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes[0] ? cursorOf(key(nodes[0])) : null,
      endCursor: last ? cursorOf(key(last)) : null,
    },
    nodes,
  };
}

/** Shopify's documented cost model, simplified: objects 1, connections 2 + first x child, scalars 0. */
export function requestedCost(doc: DocumentNode, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const num = (v: ValueNode | undefined): number | null => {
    if (!v) return null;
    if (v.kind === Kind.INT) return Number(v.value);
    if (v.kind === Kind.VARIABLE)
      return typeof variables[v.name.value] === 'number' ? (variables[v.name.value] as number) : null;
    return null;
  };
  const fields = (set: SelectionSetNode | undefined): FieldNode[] => {
    if (!set) return [];
    return set.selections.flatMap((sel) =>
      sel.kind === Kind.FIELD
        ? [sel]
        : sel.kind === Kind.INLINE_FRAGMENT
          ? fields(sel.selectionSet)
          : fields(fragments.get(sel.name.value)?.selectionSet),
    );
  };
  const cost = (set: SelectionSetNode | undefined): number => fields(set).reduce((sum, f) => sum + fieldCost(f), 0);
  const fieldCost = (f: FieldNode): number => {
    if (!f.selectionSet) return 0;
    const first = num(f.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last')?.value);
    const ids = f.arguments?.find((a) => a.name.value === 'ids')?.value;
    if (ids) {
      const n =
        ids.kind === Kind.VARIABLE
          ? ((variables[ids.name.value] as unknown[] | undefined)?.length ?? 0)
          : ids.kind === Kind.LIST
            ? ids.values.length
            : 0;
      return n * (1 + cost(f.selectionSet));
    }
    if (first === null) return 1 + cost(f.selectionSet);
    const children = fields(f.selectionSet);
    const nodes = children.find((c) => c.name.value === 'nodes' || c.name.value === 'edges');
    // A connection costs 2 plus `first` times one node; a list with `first`, `first` times one element.
    if (!nodes) return 2 + first * (1 + cost(f.selectionSet));
    const once = children.filter((c) => c !== nodes).reduce((sum, c) => sum + fieldCost(c), 0);
    return 2 + once + first * (1 + cost(nodes.selectionSet));
  };
  let total = 0;
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION) total += cost(d.selectionSet);
  return Math.max(1, total);
}
