// Every signed-in page: a skip link, the navigation, who is signed in, and the page itself.
import { Suspense, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useSession } from '../auth/session-context';
import { ThemeToggle } from './ThemeToggle';

const PAGES = [
  { to: '/', label: 'Overview', end: true },
  { to: '/runs', label: 'Pipeline runs', end: false },
  { to: '/models', label: 'Models', end: false },
  { to: '/customers', label: 'Customers', end: false },
  { to: '/products', label: 'Products', end: false },
  { to: '/experiments', label: 'Experiments', end: false },
  { to: '/settings', label: 'Settings', end: false },
];

export function Layout() {
  const { session, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">storefront-recs</span>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => {
            setMenuOpen(!menuOpen);
          }}
        >
          Menu
        </button>
        <nav id="site-nav" aria-label="Pages" className={menuOpen ? 'nav open' : 'nav'}>
          <ul>
            {PAGES.map((p) => (
              <li key={p.to}>
                <NavLink
                  to={p.to}
                  end={p.end}
                  onClick={() => {
                    setMenuOpen(false);
                  }}
                >
                  {p.label}
                </NavLink>
              </li>
            ))}
            {session.role === 'admin' && (
              <li>
                <a href="/admin/queues/">Queues</a>
              </li>
            )}
          </ul>
        </nav>
        <div className="who">
          <span className="role" title={`session until ${new Date(session.expiresAt).toLocaleString()}`}>
            {session.role}
          </span>
          <ThemeToggle />
          <button
            type="button"
            onClick={() => {
              signOut().catch((err: unknown) => {
                setError(err instanceof Error ? err.message : String(err));
              });
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      {error && (
        <p role="alert" className="error">
          Sign-out failed: {error}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
