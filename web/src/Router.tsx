// The pages and their paths under /dashboard. Each page is its own chunk, loaded when first
// opened, so the first load carries only the shell (the build's bundle budget counts it); the page
// a browser opens on is started at once (preloadPageAt, from main.tsx), beside the session check
// instead of after it.
import { lazy, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, matchRoutes, RouterProvider, type RouteObject } from 'react-router';
import { Layout } from './components/Layout';

const BASENAME = '/dashboard';

type PageModule = { default: ComponentType };

interface PageHandle {
  preload: () => Promise<PageModule>;
}

/** A lazily loaded page whose chunk can also be started ahead of its first render. */
function page(load: () => Promise<PageModule>): { element: ReactNode; handle: PageHandle } {
  let loading: Promise<PageModule> | undefined;
  const once = () => (loading ??= load());
  const Page = lazy(once);
  const handle: PageHandle = { preload: once };
  return { element: <Page />, handle };
}

const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, ...page(() => import('./pages/OverviewPage')) },
      { path: 'runs', ...page(() => import('./pages/RunsPage')) },
      { path: 'runs/:id', ...page(() => import('./pages/RunPage')) },
      { path: 'models', ...page(() => import('./pages/ModelsPage')) },
      { path: 'customers', ...page(() => import('./pages/CustomerPage')) },
      { path: 'products', ...page(() => import('./pages/ProductPage')) },
      { path: 'settings', ...page(() => import('./pages/SettingsPage')) },
      { path: 'experiments', ...page(() => import('./pages/ExperimentsPage')) },
      { path: 'experiments/:id', ...page(() => import('./pages/ExperimentPage')) },
      { path: '*', ...page(() => import('./pages/NotFoundPage')) },
    ],
  },
];

function isPageHandle(handle: unknown): handle is PageHandle {
  return typeof handle === 'object' && handle !== null && 'preload' in handle;
}

/** Starts loading the chunk of the page at `pathname` (the browser's path), if it has one. */
export function preloadPageAt(pathname: string): void {
  const handle: unknown = matchRoutes(routes, pathname, BASENAME)?.at(-1)?.route.handle;
  if (isPageHandle(handle)) void handle.preload();
}

const router = createBrowserRouter(routes, { basename: BASENAME });

export function Router() {
  return <RouterProvider router={router} />;
}
