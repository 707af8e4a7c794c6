import { useEffect } from 'react';

/**
 * Names the page in the browser's tab, history and bookmarks, and for screen readers: "Leaderboard · Coachwire".
 * Undefined while the page does not know its subject yet (a market still loading) keeps the site name.
 */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Coachwire` : 'Coachwire';
  }, [title]);
}
