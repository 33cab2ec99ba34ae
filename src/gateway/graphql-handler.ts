// Apollo Server over plain node:http request and response objects, for a request whose body is
// already parsed. Both ways into GraphQL use it: the response-cache lane for the small JSON bodies it
// reads (its misses), and the Express route for everything else (GET, big bodies). The same ~20
// lines as @as-integrations/express5, without needing Express's req/res.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Logger } from '../infra/logger';
import type { AuthState } from './auth/authenticator';
import { limitPublishable, type RequestLimiter } from './auth/request-limiter';
import type { RequestAuthenticator } from './auth/request-auth';
import { createContext, type GatewayContext, type GatewayServices } from './gateway-context';

export interface GraphqlHandlerDeps {
  apollo: ApolloServer<GatewayContext>;
  services: GatewayServices;
  auth: RequestAuthenticator;
  /** Publishable keys' per-IP budget. */
  publishableLimiter: RequestLimiter;
  logger: Logger;
}

export interface GraphqlRequest {
  /** The parsed body (undefined for GET). */
  body: unknown;
  requestId: string;
  /** Receives the operation's label before the response is written (the request log reads it). */
  log: { operation?: unknown };
  /** The response-cache key when the caller has computed it already (the lane has); else computed here. */
  cacheKey?: string | null;
}

export type GraphqlHandler = (req: IncomingMessage, res: ServerResponse, request: GraphqlRequest) => Promise<void>;

export function createGraphqlHandler(d: GraphqlHandlerDeps): GraphqlHandler {
  const { responseCache } = d.services;
  const contextFor = async (
    req: IncomingMessage,
    { body, requestId, cacheKey }: GraphqlRequest,
  ): Promise<GatewayContext> => {
    let auth: AuthState;
    try {
      auth = await d.auth.authenticate(req, 'token');
    } catch (err) {
      d.logger.warn({ err }, 'API key check failed');
      auth = { kind: 'unchecked', reason: 'the API key could not be checked (database unavailable)' };
    }
    const verdict = await limitPublishable(d.publishableLimiter, auth, req.socket.remoteAddress);
    if (!verdict.ok) {
      // Thrown from the context function: Apollo answers it with this status and header.
      throw new GraphQLError(`too many requests from this address; retry in ${verdict.retryAfterSeconds} s`, {
        extensions: {
          code: 'RATE_LIMITED',
          http: { status: 429, headers: new HeaderMap([['retry-after', String(verdict.retryAfterSeconds)]]) },
        },
      });
    }
    // The answer is stored under this key when the response-cache plugin finds it cacheable.
    const key =
      cacheKey !== undefined
        ? cacheKey
        : req.method === 'POST' && responseCache.enabled
          ? responseCache.keyOfBody(body)
          : null;
    return createContext(d.services, auth, requestId, d.logger.child({ requestId }), key);
  };

  return async (req, res, request) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    let context: GatewayContext | undefined;
    const response = await d.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: query < 0 ? '' : url.slice(query),
        body: request.body,
      },
      context: async () => (context = await contextFor(req, request)),
    });
    const outcome = context?.outcome;
    request.log.operation = outcome?.operation ?? undefined;
    if (
      context &&
      outcome?.cacheKey &&
      outcome.storeAs &&
      response.body.kind === 'complete' &&
      (response.status ?? 200) === 200
    ) {
      responseCache.store(
        outcome.cacheKey,
        context.batchVersion,
        outcome.storeAs,
        response.body.string,
        context.stamps,
      );
    }
    // Every answer carries its own recommendationIds and time: no HTTP cache may reuse one.
    res.setHeader('cache-control', 'no-store');
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    // Incremental delivery (@defer): chunks as Apollo produces them.
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
