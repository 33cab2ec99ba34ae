// A TCP proxy in front of a server (Redis here), for tests that need it slow or gone without
// touching the shared server: pause() stops moving bytes (a hung server: connections stay open,
// nothing is answered), down() drops every connection and refuses new ones, up() and resume() undo.
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  pause(): void;
  resume(): void;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Chunks held while paused, in order, with the socket each must go to. */
  held: [net.Socket, Buffer][];
}

export async function startTcpProxy(target: { host: string; port: number }, scheme = 'redis'): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let paused = false;
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    const forward = (to: net.Socket) => (chunk: Buffer) => {
      if (paused) pair.held.push([to, chunk]);
      else to.write(chunk);
    };
    client.on('data', forward(upstream)).on('error', end).on('close', end);
    upstream.on('data', forward(client)).on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const destroyAll = () => {
    for (const p of pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
  };
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    pause() {
      // Bytes are held, unanswered, like a SIGSTOPped server's: connections stay open.
      paused = true;
    },
    resume() {
      paused = false;
      for (const p of pairs) {
        for (const [to, chunk] of p.held) to.write(chunk);
        p.held = [];
      }
    },
    down() {
      refusing = true;
      destroyAll();
    },
    up() {
      refusing = false;
    },
    async close() {
      destroyAll();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
