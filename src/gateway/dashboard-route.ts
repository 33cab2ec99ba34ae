// /dashboard: the web app's built files (web/dist, made by `npm run web:build`). Hashed assets are
// cached for good; every other path under /dashboard is the app's own route and gets index.html,
// which is never cached (it names the current assets). Everything is served from this gateway:
// the CSP allows no other origin, so the page works offline and loads nothing from elsewhere.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

export const WEB_APP_PATH = '/dashboard';

/** web/dist beside src/ (tsx) or dist/ (compiled): both are two levels below the package root. */
export function defaultDashboardDir(): string {
  return path.resolve(__dirname, '..', '..', 'web', 'dist');
}

const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export function dashboardRouter(dir: string): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    next();
  });
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false, index: false }),
  );
  router.use(express.static(dir, { index: false, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(`The dashboard is not built (${index} is missing): run "npm run web:build".\n`);
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
