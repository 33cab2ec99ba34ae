import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { currentSession } from './auth/session-api';
import { preloadPageAt } from './Router';
import './styles.css';

// Both at once, before the first render: who is signed in (index.html preloads the answer), and
// the chunk of the page the browser opened (which a signed-in browser shows next).
const session = currentSession();
preloadPageAt(location.pathname);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
);
