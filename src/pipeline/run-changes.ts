// Changes of pipeline_runs rows, whichever process made them: a trigger NOTIFYs every insert and
// update on one channel as "<schema>:<run id>" (migration 20261203140000_pipeline_run_notify), and
// one LISTEN connection per gateway hands them to the subscribers of that run. When the connection
// drops, it reconnects and tells every subscriber to re-read (changes in the gap were not heard).
import type { Client } from 'pg';
import type { Logger } from '../infra/logger';

export const RUN_CHANGED_CHANNEL = 'pipeline_run_changed';

type Listener = () => void;

export class RunChanges {
  private client: Client | null = null;
  private readonly listeners = new Map<number, Set<Listener>>();
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    /** A connection of its own (not a pool's: it is held for good). */
    private readonly openConnection: () => Promise<Client>,
    private readonly schema: string,
    private readonly logger: Logger,
    private readonly retryMs = 2_000,
  ) {}

  /** Starts listening; never throws (a failed connection is retried in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Whether notifications are being received now (subscribers also re-read on a timer). */
  get listening(): boolean {
    return this.client !== null;
  }

  /** Calls `onChange` after each change of run `runId`; returns the unsubscribe function. */
  subscribe(runId: number, onChange: Listener): () => void {
    let set = this.listeners.get(runId);
    if (!set) {
      set = new Set();
      this.listeners.set(runId, set);
    }
    set.add(onChange);
    return () => {
      const current = this.listeners.get(runId);
      current?.delete(onChange);
      if (current?.size === 0) this.listeners.delete(runId);
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) {
      await client.end().catch((err: unknown) => {
        this.logger.warn({ err }, 'the run-changes connection did not close cleanly');
      });
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let client: Client | undefined;
    try {
      client = await this.openConnection();
      const held = client;
      held.on('notification', (msg) => {
        this.onNotification(msg.payload);
      });
      held.on('error', (err) => {
        this.logger.warn({ err }, 'the run-changes connection failed; reconnecting');
        this.drop(held);
      });
      await held.query(`LISTEN ${RUN_CHANGED_CHANNEL}`);
      if (this.isStopped()) {
        await held.end();
        return;
      }
      this.client = held;
      // Whatever changed while nobody listened is read again.
      this.notifyAll();
    } catch (err) {
      this.logger.warn({ err }, 'cannot LISTEN for pipeline run changes; retrying');
      // Closing what half-opened: the failure is logged just above.
      void client?.end().catch(() => undefined);
      this.scheduleRetry();
    }
  }

  /** A method, not the field: the field is read after awaits, where TypeScript keeps its old value. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private drop(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    // Already failed: whatever end() reports adds nothing to the warning above.
    void client.end().catch(() => undefined);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
    this.retry.unref();
  }

  private onNotification(payload: string | undefined): void {
    if (!payload) return;
    const colon = payload.lastIndexOf(':');
    // Other schemas (tenants, parallel tests) share the channel.
    if (payload.slice(0, colon) !== this.schema) return;
    const runId = Number(payload.slice(colon + 1));
    for (const listener of this.listeners.get(runId) ?? []) listener();
  }

  private notifyAll(): void {
    for (const set of this.listeners.values()) for (const listener of set) listener();
  }
}
