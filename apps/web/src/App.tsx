import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useEffect, useRef, useState } from 'react';
import { Link, Route, Router, Switch, useLocation, useRoute } from 'wouter';
import { ApiError } from './api/http';
import { useLiveUpdates } from './api/live-updates';
import { ConnectionBanner } from './components/ConnectionBanner';
import { LiveIndicator } from './components/LiveIndicator';
import { EmptyState, Loading } from './components/Notices';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import { usePageTitle } from './components/use-page-title';
import { CoachPage, LeaderboardPage, MarketPage, MarketsPage, StatusPage } from './pages/lazy-pages';
import { TodayPage } from './pages/TodayPage';

/** A client error (400, 404) will not change on retry; an unreachable API might. */
const retry = (failures: number, error: unknown) =>
  !(error instanceof ApiError && error.status < 500) && failures < 2;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Data stays shown when a refetch fails: the banner says it may be stale.
      queries: { retry, staleTime: 10_000, refetchOnWindowFocus: true },
    },
  });
}

/** The dashboard: layout, routes under /app, live updates. */
export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <Router base="/app">
        <Shell client={client} />
      </Router>
    </QueryClientProvider>
  );
}

function Shell({ client }: { client: QueryClient }) {
  useLiveUpdates(client);
  const [location] = useLocation();
  useFocusMainOnNavigation(location);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link href="/" className="brand">
          Coachwire
        </Link>
        <nav aria-label="Main">
          <ul>
            <NavItem href="/" label="Today" />
            <NavItem href="/markets" label="Markets" />
            <NavItem href="/leaderboard" label="Leaderboard" />
            <NavItem href="/status" label="Status" />
          </ul>
        </nav>
        <LiveIndicator />
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <PageErrorBoundary key={location}>
          <Suspense fallback={<Loading what="the page" />}>
            <Switch>
              <Route path="/" component={TodayPage} />
              <Route path="/coaches/:coach">{(params) => <CoachPage coachId={params.coach} />}</Route>
              <Route path="/markets" component={MarketsPage} />
              <Route path="/markets/:id">{(params) => <MarketPage marketId={params.id} />}</Route>
              <Route path="/leaderboard" component={LeaderboardPage} />
              <Route path="/status" component={StatusPage} />
              <Route component={NotFound} />
            </Switch>
          </Suspense>
        </PageErrorBoundary>
      </main>
    </>
  );
}

/**
 * After a move to another page (not on the first load, nor when only the query changes, as the date picker
 * does), focus goes to the main region: left on the clicked link, a screen reader announced nothing of the
 * new page and the next Tab went through the header again.
 */
function useFocusMainOnNavigation(location: string): void {
  const previous = useRef(location);
  useEffect(() => {
    if (previous.current === location) return;
    previous.current = location;
    document.getElementById('main')?.focus();
  }, [location]);
}

function NotFound() {
  usePageTitle('Page not found');
  return (
    <EmptyState title="Page not found">
      <p>
        <Link href="/">Today's plans</Link>
      </p>
    </EmptyState>
  );
}

function NavItem({ href, label }: { href: string; label: string }) {
  const [exact] = useRoute(href);
  const [nested] = useRoute(`${href}/*`);
  const current = exact || (href !== '/' && nested);
  return (
    <li>
      <Link href={href} aria-current={current ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
}
