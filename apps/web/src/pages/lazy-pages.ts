import { lazy } from 'react';

// The landing page is in the first script; the others are separate chunks, fetched once the landing page
// has rendered (preloadPages), so a page opened later is already here even if the API has gone away.
const pageModules = {
  coach: () => import('./CoachPage'),
  status: () => import('./StatusPage'),
  markets: () => import('./MarketsPage'),
  market: () => import('./MarketPage'),
  leaderboard: () => import('./LeaderboardPage'),
};

export const CoachPage = lazy(() => pageModules.coach().then((module) => ({ default: module.CoachPage })));
export const StatusPage = lazy(() => pageModules.status().then((module) => ({ default: module.StatusPage })));
export const MarketsPage = lazy(() =>
  pageModules.markets().then((module) => ({ default: module.MarketsPage })),
);
export const MarketPage = lazy(() => pageModules.market().then((module) => ({ default: module.MarketPage })));
export const LeaderboardPage = lazy(() =>
  pageModules.leaderboard().then((module) => ({ default: module.LeaderboardPage })),
);

/** Fetches the other pages' code once the browser is idle. */
export function preloadPages(): void {
  const load = () => {
    for (const loadPage of Object.values(pageModules)) loadPage().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: 3_000 });
  else setTimeout(load, 1_000);
}
