import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './App';
import { prefetchToday } from './api/queries';
import { preloadPages } from './pages/lazy-pages';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
const queryClient = createQueryClient();
// The landing page (/app/ without ?date) is most visits: start its reads before the first render.
if (/^\/app\/?$/.test(location.pathname) && !new URLSearchParams(location.search).has('date')) {
  prefetchToday(queryClient);
}
createRoot(root).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);
preloadPages();
