// Depth and cost limits, checked once the operation is known (variables included) and before any
// resolver runs. Cost: 1 per field; a field with `limit`/`first`/`productIds` multiplies its
// selection by that size, so `recommendations(limit: 100) { items { ... } }` costs ~100x.
// (recordEvents' input is bounded by its own check: its answer does not grow with it.)
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { GatewayContext } from './gateway-context';
import { badInput } from './graphql-errors';
import { LIMITS } from './input-limits';

const SIZE_ARGS: Record<string, number> = { limit: 10, first: 20, productIds: 1 };

function argSize(value: ValueNode, variables: Record<string, unknown>): number | null {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    if (typeof v === 'number') return v;
    if (Array.isArray(v)) return v.length;
  }
  return null;
}

export function measure(
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  depth = 1,
  visiting: Set<string> = new Set(),
): { depth: number; cost: number } {
  let maxDepth = depth;
  let cost = 0;
  for (const sel of set.selections) {
    let inner: SelectionSetNode | undefined;
    let multiplier = 1;
    let own = 0;
    let childDepth = depth;
    if (sel.kind === Kind.FIELD) {
      own = 1;
      inner = sel.selectionSet;
      childDepth = depth + 1;
      for (const arg of sel.arguments ?? []) {
        const fallback = SIZE_ARGS[arg.name.value];
        if (fallback !== undefined) multiplier = Math.max(multiplier, argSize(arg.value, variables) ?? fallback);
      }
      if (
        !sel.arguments?.some((a) => a.name.value in SIZE_ARGS) &&
        ['recommendations', 'similarItems', 'itemAffinity', 'popularItems', 'usersForItem'].includes(sel.name.value)
      ) {
        multiplier = sel.name.value === 'usersForItem' ? 25 : 10;
      }
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      inner = sel.selectionSet;
    } else {
      const name = sel.name.value;
      if (visiting.has(name)) continue; // cycles are rejected by validation; do not loop here
      inner = fragments[name]?.selectionSet;
      visiting = new Set(visiting).add(name);
    }
    if (inner) {
      const sub = measure(inner, fragments, variables, childDepth, visiting);
      maxDepth = Math.max(maxDepth, sub.depth);
      cost += own + multiplier * sub.cost;
    } else {
      cost += own;
    }
  }
  return { depth: maxDepth, cost };
}

export function operationLimitsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    // Apollo's hooks return promises; these do no I/O, so they resolve at once.
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation, document, request }) {
          if (!operation) return Promise.resolve();
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions)
            if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          const { depth, cost } = measure(operation.selectionSet, fragments, request.variables ?? {});
          if (depth > LIMITS.maxDepth)
            throw badInput(`query depth ${depth} exceeds the limit of ${LIMITS.maxDepth}`, {
              depth,
              http: { status: 400 },
            });
          if (cost > LIMITS.maxCost)
            throw badInput(`query cost ${cost} exceeds the limit of ${LIMITS.maxCost}`, {
              cost,
              http: { status: 400 },
            });
          return Promise.resolve();
        },
      });
    },
  };
}
