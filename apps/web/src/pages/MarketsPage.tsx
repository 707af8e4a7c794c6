import { EmptyState, ErrorNotice, Loading } from '../components/Notices';
import { useNow } from '../components/use-now';
import { usePageTitle } from '../components/use-page-title';
import { MarketSummary } from '../markets/MarketSummary';
import { MAX_OPEN_MARKET_PAGES, useOpenMarkets } from '../markets/market-queries';

/** Open markets, soonest to close first. */
export function MarketsPage() {
  const markets = useOpenMarkets();
  const now = useNow();
  usePageTitle('Open markets');
  return (
    <>
      <h1>Open markets</h1>
      {markets.isPending ? <Loading what="markets" /> : null}
      {markets.isError && !markets.data ? <ErrorNotice error={markets.error} what="markets" /> : null}
      {markets.data && markets.data.markets.length === 0 ? (
        <EmptyState title="No open markets">
          <p>
            Open one in Discord with <code>/market create</code>; it appears here at once.
          </p>
        </EmptyState>
      ) : null}
      {markets.data && !markets.data.complete ? (
        <p className="muted">
          Showing the {(MAX_OPEN_MARKET_PAGES * 100).toLocaleString('en-US')} newest open markets; more are
          open.
        </p>
      ) : null}
      {markets.data && markets.data.markets.length > 0 ? (
        <div className="market-grid">
          {[...markets.data.markets]
            .sort((a, b) => Date.parse(a.closes_at) - Date.parse(b.closes_at))
            .map((market) => (
              <MarketSummary key={String(market.id)} market={market} now={now} />
            ))}
        </div>
      ) : null}
    </>
  );
}
