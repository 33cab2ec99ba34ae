// GraphQL subscriptions over graphql-ws (protocol graphql-transport-ws) on the gateway's own HTTP
// server, at /graphql, with the same schema as Apollo. Only subscription operations are served on
// the socket: queries and mutations go through POST /graphql, where the response cache, the rate
// limits and the operation limits apply. Who the caller is: see RequestAuthenticator.authenticateSocket
// (an API key in connectionParams, or the session cookie from this gateway's own pages).
import type { IncomingMessage, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../infra/logger';
import type { AuthState } from './auth/authenticator';
import type { RequestAuthenticator } from './auth/request-auth';
import { createContext, type GatewayServices } from './gateway-context';
import { badInput } from './graphql-errors';
import { LIMITS } from './input-limits';
import { measure } from './operation-limits.plugin';

export const SUBSCRIPTION_PATH = '/graphql';
/** A subscribe message is small; anything bigger is refused by ws before it is parsed. */
const MAX_MESSAGE_BYTES = 64 * 1024;

export interface SubscriptionServerDeps {
  schema: GraphQLSchema;
  services: GatewayServices;
  auth: RequestAuthenticator;
  logger: Logger;
}

export interface SubscriptionServer {
  /** Closes every socket (code 1001) and stops accepting new ones. */
  close(): Promise<void>;
}

function parseSubscription(
  schema: GraphQLSchema,
  query: string,
  operationName?: string | null,
): DocumentNode | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, { maxLexicalTokens: LIMITS.maxTokens });
  } catch (err) {
    return [err instanceof GraphQLError ? err : badInput('the query could not be parsed')];
  }
  const invalid = validate(schema, document);
  if (invalid.length) return invalid;
  const operation = getOperationAST(document, operationName);
  if (!operation) return [badInput('name the operation to run (operationName)')];
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION)
    return [badInput('only subscriptions are served on the WebSocket; send queries and mutations to POST /graphql')];
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const { depth } = measure(operation.selectionSet, fragments, {});
  if (depth > LIMITS.maxDepth) return [badInput(`query depth ${depth} exceeds the limit of ${LIMITS.maxDepth}`)];
  return document;
}

export function attachSubscriptionServer(server: Server, d: SubscriptionServerDeps): SubscriptionServer {
  const wss = new WebSocketServer({ server, path: SUBSCRIPTION_PATH, maxPayload: MAX_MESSAGE_BYTES });
  // Who each socket is, decided once at connection_init.
  const authOf = new WeakMap<IncomingMessage, AuthState>();
  const disposable = useServer(
    {
      schema: d.schema,
      async onConnect(ctx) {
        let auth: AuthState;
        try {
          auth = await d.auth.authenticateSocket(ctx.extra.request, ctx.connectionParams);
        } catch (err) {
          d.logger.warn({ err }, 'API key check failed for a WebSocket');
          return false;
        }
        // Wrong credentials end the socket (4403); an anonymous one may stay and is refused per field.
        if (auth.kind === 'invalid' || auth.kind === 'unchecked') {
          d.logger.info({ reason: auth.reason }, 'WebSocket refused');
          return false;
        }
        authOf.set(ctx.extra.request, auth);
        return true;
      },
      onSubscribe(ctx, _id, payload) {
        const document = parseSubscription(d.schema, payload.query, payload.operationName);
        if (!('kind' in document)) return document;
        const auth = authOf.get(ctx.extra.request) ?? { kind: 'anonymous' };
        const requestId = randomUUID();
        return {
          schema: d.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createContext(d.services, auth, requestId, d.logger.child({ requestId }), null),
        };
      },
    },
    wss,
  );
  wss.on('error', (err) => {
    d.logger.error({ err }, 'the WebSocket server failed');
  });
  return {
    async close() {
      // dispose() closes every open socket with 1001 "Going away" and the server itself.
      await disposable.dispose();
    },
  };
}
