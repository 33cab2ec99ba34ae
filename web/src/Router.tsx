// The pages and their paths under /dashboard. Each page is its own chunk, loaded when first
// opened, so the first load carries only the shell (the build's bundle budget counts it).
import { lazy } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './components/Layout';

const OverviewPage = lazy(() => import('./pages/OverviewPage'));
const RunsPage = lazy(() => import('./pages/RunsPage'));
const RunPage = lazy(() => import('./pages/RunPage'));
const ModelsPage = lazy(() => import('./pages/ModelsPage'));
const CustomerPage = lazy(() => import('./pages/CustomerPage'));
const ProductPage = lazy(() => import('./pages/ProductPage'));
const SettingsPage = lazy(() => import('./pages/SettingsPage'));
const ExperimentsPage = lazy(() => import('./pages/ExperimentsPage'));
const ExperimentPage = lazy(() => import('./pages/ExperimentPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

const router = createBrowserRouter(
  [
    {
      path: '/',
      element: <Layout />,
      children: [
        { index: true, element: <OverviewPage /> },
        { path: 'runs', element: <RunsPage /> },
        { path: 'runs/:id', element: <RunPage /> },
        { path: 'models', element: <ModelsPage /> },
        { path: 'customers', element: <CustomerPage /> },
        { path: 'products', element: <ProductPage /> },
        { path: 'settings', element: <SettingsPage /> },
        { path: 'experiments', element: <ExperimentsPage /> },
        { path: 'experiments/:id', element: <ExperimentPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/dashboard' },
);

export function Router() {
  return <RouterProvider router={router} />;
}
