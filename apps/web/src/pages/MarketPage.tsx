import { useMemo } from 'react';
import { Link } from 'wouter';
import { useCalendar } from '../api/queries';
import { LineChart } from '../components/LineChart';
import { EmptyState, ErrorNotice, Loading } from '../components/Notices';
import { TimeLabel } from '../components/TimeLabel';
import { useNow } from '../components/use-now';
import { usePageTitle } from '../components/use-page-title';
import { formatPoints } from '../format/probability';
import { describeCountdown } from '../format/time';
import { useMarket, useMarketHistory, useMarketTrades } from '../markets/market-queries';
import { historySeries } from '../markets/market-shapes';
import type { Market } from '../markets/market-types';
import { describeResolution, ProbabilityBars } from '../markets/ProbabilityBars';
import { TradesTable } from '../markets/TradesTable';

/** One market: its chart over time, options, status or resolution, and recent trades. */
export function MarketPage({ marketId }: { marketId: string }) {
  const market = useMarket(marketId);
  const found = market.data != null;
  const history = useMarketHistory(marketId, found);
  const trades = useMarketTrades(marketId, found);
  const calendar = useCalendar();
  const now = useNow();
  usePageTitle(market.data === null ? 'No such market' : market.data?.question);
  // Memoized: a new series object redraws the chart from scratch.
  const chart = useMemo(
    () =>
      history.data && market.data
        ? historySeries(history.data, market.data.options, chartEnd(market.data, now))
        : null,
    [history.data, market.data, now],
  );

  if (market.isPending) return <Loading what="the market" />;
  if (market.isError && !market.data) return <ErrorNotice error={market.error} what="the market" />;
  if (!market.data) {
    return (
      <EmptyState title="No such market">
        <p>
          There is no market with this id. <Link href="/markets">All open markets</Link>
        </p>
      </EmptyState>
    );
  }
  const data = market.data;
  const resolution = describeResolution(data);
  const timezone = calendar.data?.timezone ?? 'UTC';
  return (
    <>
      <h1 className="market-question">{data.question}</h1>
      <p className="meta">
        <span className="badge">{data.status}</span> · {data.mechanism} · {formatPoints(data.volume)} traded ·{' '}
        {data.bettors} {data.bettors === 1 ? 'bettor' : 'bettors'} ·{' '}
        {data.status === 'open' ? describeCountdown(data.closes_at, now) : 'closed'} (
        <TimeLabel iso={data.closes_at} now={now} timezone={timezone} />)
        {data.plan_id !== null ? ` · a coach call on plan #${data.plan_id}` : ''}
      </p>
      {resolution ? <p className="notice">{resolution}</p> : null}
      <section aria-labelledby="options-heading">
        <h2 id="options-heading">Options</h2>
        <ProbabilityBars market={data} />
      </section>
      {data.mechanism !== 'pool' ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">Probability over time</h2>
          {history.isPending ? <Loading what="the history" /> : null}
          {history.isError && !history.data ? <ErrorNotice error={history.error} what="the history" /> : null}
          {chart ? (
            <LineChart title="Probability over time" data={chart} timezone={timezone} stepped />
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="trades-heading">
        <h2 id="trades-heading">Recent trades</h2>
        {trades.isPending ? <Loading what="trades" /> : null}
        {trades.data ? (
          <TradesTable trades={trades.data} market={data} now={now} timezone={timezone} />
        ) : null}
        {trades.isError && !trades.data ? <ErrorNotice error={trades.error} what="trades" /> : null}
      </section>
    </>
  );
}

/** Where the price line ends: now while trading goes on, else when it stopped (close or settlement). */
function chartEnd(market: Market, now: Date): number {
  const stopped = Math.min(Date.parse(market.closes_at), Date.parse(market.settled_at ?? market.closes_at));
  return Math.min(now.getTime(), stopped) / 1000;
}
