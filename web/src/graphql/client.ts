// The one GraphQL client (urql), built once per session. Every HTTP request carries the session's
// CSRF token: the gateway ignores the session cookie without it. Subscriptions go over the
// session's WebSocket (live-socket.ts), which sends the token in its connectionParams.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createLiveSocket, type LiveSocket } from './live-socket';

export function createClient(csrfToken: () => string | null): { client: Client; live: LiveSocket } {
  const live = createLiveSocket(csrfToken);
  const client = new Client({
    url: '/graphql',
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = live.ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
    requestPolicy: 'cache-and-network',
    // POST always: the gateway's response cache answers POSTs, and Apollo refuses GETs that carry
    // no preflight header (its CSRF prevention).
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const token = csrfToken();
      const headers: Record<string, string> = token ? { 'x-csrf-token': token } : {};
      return { credentials: 'same-origin', headers };
    },
  });
  return { client, live };
}
