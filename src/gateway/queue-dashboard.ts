// The bull-board dashboard over every queue of the registry, behind an admin key (see
// src/app/create-gateway.ts). Its modules and UI are loaded on the first request: a gateway whose
// dashboard is never opened does not carry them (about 5 MB of heap, which every major GC would
// walk).
import type { Queue } from 'bullmq';
import type { RequestHandler, Router } from 'express';

export const DASHBOARD_PATH = '/admin/queues';

async function build(queues: Queue[]): Promise<Router> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  // @bull-board/express carries its own copy of @bull-board/api (a patch version apart); the two
  // adapter types differ only in private fields, so the cast is safe.
  type ServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter as unknown as ServerAdapter,
  });
  return adapter.getRouter() as Router;
}

export function queueDashboard(queues: Queue[]): RequestHandler {
  let router: Promise<Router> | undefined;
  return (req, res, next) => {
    router ??= build(queues);
    router.then(
      (r) => {
        r(req, res, next);
      },
      (err: unknown) => {
        // A failed load is tried again on the next request rather than remembered.
        router = undefined;
        next(err);
      },
    );
  };
}
