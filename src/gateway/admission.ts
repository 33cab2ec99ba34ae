// Admission control: a bound on the API requests a gateway executes at once, with a short, bounded
// wait for a slot and priority by credential, so that a flood (anonymous junk, unknown ids, big
// lists) is shed before it can queue without bound and take the keyed storefront's latency with it.
// Hand-written (about 100 lines): p-queue and async-sema have no per-class caps, no bound on the
// queue and no deadline for the wait itself, and bottleneck (which has priorities and a high-water
// mark) has not been released since 2019. The decision is synchronous: an admitted request costs
// two counter updates, no promise and no timer; only a waiting request holds a timer.
import type { Config } from '../config/config';

/** Credential classes, highest priority first. */
export const ADMISSION_CLASSES = ['key', 'publishable', 'anonymous'] as const;
/**
 * `key`: a valid secret API key (read, ingest, admin); `publishable`: a publishable key from one of
 * its origins, or a key that could not be checked (PostgreSQL unavailable); `anonymous`: no key, or
 * one that is invalid.
 */
export type AdmissionClass = (typeof ADMISSION_CLASSES)[number];

export type ShedReason = 'queue-full' | 'wait-expired';

/**
 * maxInFlight: requests executing at once, all classes together; classInFlight: of those, at most
 * this many of each class (the `key` class may take them all); maxQueued: requests waiting for a
 * slot, per class (beyond, a request is shed at once); maxWaitMs: longest wait per class.
 */
export type AdmissionSettings = Config['admission'];

interface Waiter {
  cls: AdmissionClass;
  go: (release: () => void) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Cancels a wait (the client went away); a no-op once admitted or shed. */
export type CancelWait = () => void;
const NOTHING: CancelWait = () => undefined;

export class Admission {
  private inFlight = 0;
  private readonly running: Record<AdmissionClass, number> = { key: 0, publishable: 0, anonymous: 0 };
  private readonly queues: Record<AdmissionClass, Waiter[]> = { key: [], publishable: [], anonymous: [] };

  constructor(private readonly settings: AdmissionSettings) {}

  /**
   * Runs `go` now or once a slot frees (higher classes first), or calls `shed` when the class's
   * queue is full or its wait has expired. `go` receives the one `release` of its slot.
   */
  admit(cls: AdmissionClass, go: (release: () => void) => void, shed: (reason: ShedReason) => void): CancelWait {
    if (this.hasRoom(cls)) {
      this.start(cls, go);
      return NOTHING;
    }
    const queue = this.queues[cls];
    const wait = this.settings.maxWaitMs[cls];
    if (queue.length >= this.settings.maxQueued || wait <= 0) {
      shed('queue-full');
      return NOTHING;
    }
    const waiter: Waiter = { cls, go, timer: undefined };
    waiter.timer = setTimeout(() => {
      if (this.remove(waiter)) shed('wait-expired');
    }, wait);
    queue.push(waiter);
    return () => {
      if (this.remove(waiter)) clearTimeout(waiter.timer);
    };
  }

  /** Requests executing now, per class and in all. */
  inFlightOf(cls?: AdmissionClass): number {
    return cls === undefined ? this.inFlight : this.running[cls];
  }

  queuedOf(cls: AdmissionClass): number {
    return this.queues[cls].length;
  }

  private hasRoom(cls: AdmissionClass): boolean {
    return this.inFlight < this.settings.maxInFlight && this.running[cls] < this.settings.classInFlight[cls];
  }

  private start(cls: AdmissionClass, go: (release: () => void) => void): void {
    this.inFlight += 1;
    this.running[cls] += 1;
    let released = false;
    go(() => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.running[cls] -= 1;
      this.pump();
    });
  }

  /** Hands free slots to the waiters, highest class first, oldest first within a class. */
  private pump(): void {
    for (const cls of ADMISSION_CLASSES) {
      const queue = this.queues[cls];
      while (queue.length && this.hasRoom(cls)) {
        const next = queue.shift();
        if (!next) break;
        clearTimeout(next.timer);
        this.start(cls, next.go);
      }
    }
  }

  private remove(waiter: Waiter): boolean {
    const queue = this.queues[waiter.cls];
    const i = queue.indexOf(waiter);
    if (i < 0) return false;
    queue.splice(i, 1);
    return true;
  }
}
