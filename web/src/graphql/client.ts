// The one GraphQL client (urql), built once at start-up. Every request carries the session's CSRF
// token: the gateway ignores the session cookie without it.
import { Client, cacheExchange, fetchExchange } from 'urql';

export function createClient(csrfToken: () => string | null): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
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
}
