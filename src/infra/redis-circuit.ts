// The circuit breaker in front of every command of a gateway Redis connection. ioredis has no
// middleware, and the breakers of cockatiel and opossum decide asynchronously per call; a
// pipeline is written only once every one of its commands has passed sendCommand, so a decision
// that could differ between the commands of one pipeline would leave it unwritten forever. Here
// the decision is synchronous and only changes between ticks: closed, every command goes; open,
// every command is refused at once (RedisUnavailableError) and one PING per probe interval,
// which alone bypasses the gate, closes it again when it is answered.
import { Command, Redis, type RedisOptions } from 'ioredis';

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(reason: string) {
    super(`Redis unavailable (circuit open): ${reason}`);
    this.name = 'RedisUnavailableError';
  }
}

export interface CircuitSettings {
  /** Failed commands in a row that open the circuit. */
  failures: number;
  /** Time between probes while open. */
  probeMs: number;
}

export interface CircuitView {
  open: boolean;
  /** When the circuit opened (null while closed). */
  since: Date | null;
  /** The failure that opened it. */
  reason: string | null;
}

/** A reply error is Redis answering (the server is alive); anything else is the connection failing. */
function isConnectionFailure(err: unknown): boolean {
  return !(err instanceof Error && err.name === 'ReplyError');
}

export class RedisCircuit {
  private failuresInRow = 0;
  private openedAt: number | null = null;
  private reason: string | null = null;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly listeners: ((view: CircuitView) => void)[] = [];

  constructor(
    private readonly settings: CircuitSettings,
    /** Sends one PING that bypasses the gate. */
    private readonly probe: () => Promise<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.openedAt !== null;
  }

  view(): CircuitView {
    return {
      open: this.isOpen,
      since: this.openedAt === null ? null : new Date(this.openedAt),
      reason: this.reason,
    };
  }

  onChange(listener: (view: CircuitView) => void): void {
    this.listeners.push(listener);
  }

  /** Records a command's outcome (reply errors count as answers). */
  observe(err: unknown): void {
    if (err === null || !isConnectionFailure(err)) {
      this.failuresInRow = 0;
      if (this.isOpen) this.close();
      return;
    }
    this.failuresInRow += 1;
    if (!this.isOpen && this.failuresInRow >= this.settings.failures) this.open(err);
  }

  refusal(): RedisUnavailableError {
    return new RedisUnavailableError(this.reason ?? 'unknown');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  private open(err: unknown): void {
    this.openedAt = this.now();
    this.reason = err instanceof Error ? err.message : String(err);
    this.emit();
    this.scheduleProbe();
  }

  private close(): void {
    this.openedAt = null;
    this.reason = null;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.emit();
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      this.probe().then(
        () => {
          this.observe(null);
        },
        () => {
          // Still failing: the circuit stays open and the next probe is scheduled.
          if (this.isOpen) this.scheduleProbe();
        },
      );
    }, this.settings.probeMs);
    this.probeTimer.unref();
  }

  private emit(): void {
    const v = this.view();
    for (const l of this.listeners) l(v);
  }
}

/** A Redis client whose every command passes its circuit (BullMQ's scripts and pipelines included). */
export class GuardedRedis extends Redis {
  readonly circuit: RedisCircuit;
  private readonly probes = new WeakSet<Command>();
  /** A command can pass sendCommand again (offline queue, resend after reconnect): one outcome each. */
  private readonly watched = new WeakSet<Command>();

  constructor(url: string, options: RedisOptions, settings: CircuitSettings) {
    super(url, options);
    this.circuit = new RedisCircuit(settings, () => {
      const ping = new Command('ping', []);
      this.probes.add(ping);
      return this.sendCommand(ping) as Promise<unknown>;
    });
    this.on('end', () => {
      this.circuit.stop();
    });
  }

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    if (this.circuit.isOpen && !this.probes.has(command)) {
      command.reject(this.circuit.refusal());
      return command.promise;
    }
    if (!this.watched.has(command)) {
      this.watched.add(command);
      command.promise.then(
        () => {
          this.circuit.observe(null);
        },
        (err: unknown) => {
          this.circuit.observe(err);
        },
      );
    }
    return super.sendCommand(command, stream);
  }
}

/** Whether this client's commands may be sent now (always for an unguarded client). */
export function redisAdmits(redis: Redis): boolean {
  return !(redis instanceof GuardedRedis) || !redis.circuit.isOpen;
}
