// The dashboard's WebSocket for GraphQL subscriptions (graphql-ws on the gateway's /graphql). It
// opens only while a page subscribes, signs in with the session cookie plus the CSRF token, and
// reports whether it is connected: pages poll instead while it is not (a proxy that drops
// WebSockets, a gateway restarting).
import { createContext, useContext, useSyncExternalStore } from 'react';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

export interface LiveSocket {
  ws: WsClient;
  connected(): boolean;
  onChange(listener: () => void): () => void;
  dispose(): void;
}

export function createLiveSocket(csrfToken: () => string | null): LiveSocket {
  let connected = false;
  const listeners = new Set<() => void>();
  const set = (value: boolean) => {
    if (value === connected) return;
    connected = value;
    for (const l of listeners) l();
  };
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = createWsClient({
    url: url.href,
    connectionParams: () => ({ csrfToken: csrfToken() }),
    // A refused or dropped socket is retried with backoff; pages poll meanwhile.
    retryAttempts: 5,
    shouldRetry: () => true,
    on: {
      connected: () => {
        set(true);
      },
      closed: () => {
        set(false);
      },
    },
  });
  return {
    ws,
    connected: () => connected,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      void ws.dispose();
    },
  };
}

export const LiveSocketContext = createContext<LiveSocket | null>(null);

/** Whether subscriptions are being delivered now (false: poll). */
export function useSocketConnected(): boolean {
  const live = useContext(LiveSocketContext);
  return useSyncExternalStore(
    (listener) => live?.onChange(listener) ?? (() => undefined),
    () => live?.connected() ?? false,
  );
}
