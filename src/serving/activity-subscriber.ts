// Every gateway listens on the recent-activity channel (recent-activity.ts) on a connection of its
// own (a subscribed connection can run nothing else) and drops its cached answers about the
// subjects another gateway wrote. Messages sent while the connection was down are lost, so losing
// it drops the whole response cache, and so does getting it back (anything cached meanwhile may be
// stale): conservative, and rare.
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Logger } from '../infra/logger';
import { createRedis } from '../infra/redis';

export interface ActivityChangeHandlers {
  changed: (subjects: string[]) => void;
  /** The subscription was lost or has just come back: changes may have been missed. */
  lost: () => void;
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
): Redis {
  // The worker kind waits through outages and resubscribes on its own when Redis comes back.
  const sub = createRedis(config, 'worker');
  let up = false;
  sub.on('ready', () => {
    if (up) return;
    up = true;
    on.lost();
  });
  sub.on('close', () => {
    if (!up) return;
    up = false;
    logger.warn('recent-activity subscription lost: response cache dropped');
    on.lost();
  });
  sub.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const subjects = subjectsIn(message);
    if (subjects) on.changed(subjects);
    else logger.warn({ channel }, 'recent-activity message ignored: not a list of subjects');
  });
  sub.subscribe(channel).catch((err: unknown) => {
    logger.warn({ err }, 'recent-activity subscription failed; it is retried when Redis reconnects');
  });
  return sub;
}
