// The bull-board dashboard over every queue of the registry, behind an admin key.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

export const DASHBOARD_PATH = '/admin/queues';

export function queueDashboard(queues: Queue[]): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  // @bull-board/express carries its own copy of @bull-board/api (a patch version apart); the two
  // adapter types differ only in private fields, so the cast is safe.
  type ServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter as unknown as ServerAdapter });
  return adapter.getRouter() as Router;
}
