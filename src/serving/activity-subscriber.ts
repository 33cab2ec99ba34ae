// Every gateway listens on the recent-activity channel (recent-activity.ts) on a connection of its
// own (a subscribed connection can run nothing else) and drops its cached answers about the
// subjects another gateway wrote. The broadcast only frees memory early: a cached answer made with
// recent activity is checked against its subjects' versions in Redis before it is served
// (response-cache-lane.ts), so a message missed while the connection was down leaves nothing stale
// behind, and a lost subscription drops nothing. It is still counted and logged: the drops of
// other gateways' changes wait for it to come back. Closing it (shutdown) is not a loss.
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Logger } from '../infra/logger';
import { createRedis } from '../infra/redis';

export interface ActivityChangeHandlers {
  changed: (subjects: string[]) => void;
}

export interface ActivityFeed {
  /** Times the subscription was lost since start (a deliberate close excluded). */
  readonly losses: number;
  /** Closes the connection; the close is not a loss. */
  close(): void;
  /** The subscribed connection (/ready reports its state). */
  readonly connection: Redis;
}

function subjectsIn(message: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed) && parsed.every((s) => typeof s === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

export function subscribeActivityChanges(
  config: Pick<Config, 'redis'>,
  channel: string,
  logger: Logger,
  on: ActivityChangeHandlers,
): ActivityFeed {
  // The worker kind waits through outages and resubscribes on its own when Redis comes back.
  const sub: Redis = createRedis(config, 'worker');
  let up = false;
  let closing = false;
  let losses = 0;
  sub.on('ready', () => {
    if (up) return;
    if (losses > 0) logger.info({ channel }, 'recent-activity subscription back');
    up = true;
  });
  sub.on('close', () => {
    if (!up || closing) return;
    up = false;
    losses += 1;
    logger.warn(
      { channel, losses },
      'recent-activity subscription lost; reconnecting (cached answers are still checked against Redis)',
    );
  });
  sub.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const subjects = subjectsIn(message);
    if (subjects) on.changed(subjects);
    else logger.warn({ channel }, 'recent-activity message ignored: not a list of subjects');
  });
  sub.subscribe(channel).catch((err: unknown) => {
    if (!closing) logger.warn({ err }, 'recent-activity subscription failed; it is retried when Redis reconnects');
  });
  return {
    connection: sub,
    get losses() {
      return losses;
    },
    close() {
      closing = true;
      // Not QUIT: on a connection waiting to reconnect (Redis down) it would wait for Redis.
      sub.disconnect();
    },
  };
}
