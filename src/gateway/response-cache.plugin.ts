// Decides per operation whether its answer may be reused (reads of batch data only, without
// errors) and times every operation for /metrics.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationTypeNode, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from './gateway-context';
import type { GatewayMetrics } from './metrics';

/**
 * Root fields whose answers depend only on the batch (and their arguments). Not usersForItem: it is
 * customer data (a key is needed), and the lane serves cached answers to anyone reads are open to.
 * rankItems only when it answered from the batch (its resolver unsets `cacheable` for a ranking
 * model's answer: a newer model may load within a batch).
 */
const CACHEABLE_FIELDS = new Set([
  'recommendations',
  'similarItems',
  'itemAffinity',
  'popularItems',
  'rankItems',
  '__typename',
]);

/**
 * The metrics label of an operation: its type and root fields (bounded by the schema), never the
 * client's operation name, which would let any client add label values without limit.
 */
export function operationLabel(op: OperationDefinitionNode | undefined): string {
  if (!op) return 'invalid';
  const fields = op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '...')).sort();
  return `${op.operation}:${[...new Set(fields)].join(',')}`.slice(0, 64);
}

function isCacheable(op: OperationDefinitionNode): boolean {
  return (
    op.operation === OperationTypeNode.QUERY &&
    op.selectionSet.selections.every(
      (s) => s.kind === Kind.FIELD && CACHEABLE_FIELDS.has(s.name.value) && !s.directives?.length,
    )
  );
}

export function responseCachePlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    // Apollo's hooks return promises; these do no I/O, so they resolve at once.
    requestDidStart() {
      const started = process.hrtime.bigint();
      let label = 'invalid';
      return Promise.resolve({
        didResolveOperation({ operation, contextValue }) {
          label = operationLabel(operation);
          contextValue.outcome.operation = label;
          contextValue.cacheable = operation !== undefined && isCacheable(operation);
          return Promise.resolve();
        },
        willSendResponse({ response, contextValue, errors }) {
          metrics.observeRequest(label, Number(process.hrtime.bigint() - started) / 1e9, 'executed');
          // The GraphQL handler stores the answer once Apollo has serialised it (one JSON.stringify, not two).
          const clean =
            !errors?.length && response.body.kind === 'single' && !response.body.singleResult.errors?.length;
          if (contextValue.outcome.cacheKey && contextValue.cacheable && clean) contextValue.outcome.storeAs = label;
          // A list that skipped a failed source (PostgreSQL hung, say) is still an answer; the
          // client is told it is a stand-in (`extensions.degraded`), never cached (see toListView).
          if (contextValue.outcome.degraded && response.body.kind === 'single')
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, degraded: true };
          return Promise.resolve();
        },
      });
    },
  };
}
