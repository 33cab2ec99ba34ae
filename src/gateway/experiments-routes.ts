// GET /experiments/:id/results.csv (admin key): an experiment's results as CSV, for spreadsheets.
import { Router } from 'express';
import type { Config } from '../config/config';
import { ExperimentError, resultsCsv, type ExperimentService } from '../experiments';
import { authorize, keyFromHeaders, type Authenticator } from './auth/authenticator';

export function experimentsRouter(d: {
  experiments: ExperimentService;
  authenticator: Authenticator;
  config: Config;
}): Router {
  const router = Router();
  router.get('/experiments/:id/results.csv', async (req, res, next) => {
    try {
      const verdict = authorize(
        await d.authenticator.authenticate(keyFromHeaders(req.headers)),
        'admin',
        d.config.api.readAuth,
      );
      if (verdict !== 'ok') {
        res
          .status(verdict === 'FORBIDDEN' ? 403 : 401)
          .json({ error: verdict, message: 'results need an admin API key' });
        return;
      }
      const id = Number(req.params.id);
      if (!Number.isInteger(id) || id < 1) {
        res.status(400).json({ error: 'BAD_USER_INPUT', message: 'id must be a positive whole number' });
        return;
      }
      const csv = resultsCsv(await d.experiments.results(id));
      res
        .status(200)
        .setHeader('content-type', 'text/csv; charset=utf-8')
        .setHeader('content-disposition', `attachment; filename="experiment-${id}-results.csv"`)
        .setHeader('cache-control', 'no-store')
        .send(csv);
    } catch (err) {
      if (err instanceof ExperimentError && err.reason === 'NOT_FOUND') {
        res.status(404).json({ error: 'NOT_FOUND', message: err.message });
        return;
      }
      next(err);
    }
  });
  return router;
}
