import { formatPercent, type MarketSummary } from '@coachwire/core';
import type { SettlementPayouts } from '@coachwire/storage';
import { formatPoints, mention } from '../commands/markets/market-request.js';

/** The result posted when a market settles: the outcome, the top winners and the total paid (or refunded). */
export function settlementAnnouncement(summary: MarketSummary, payouts: SettlementPayouts): string {
  const { market } = summary;
  const who = (count: number) => `${count} member${count === 1 ? '' : 's'}`;
  if (market.status === 'cancelled') {
    return [
      `🚫 Market #${market.id} was cancelled: “${market.question}”`,
      payouts.total > 0
        ? `Refunded ${formatPoints(payouts.total)} to ${who(payouts.recipients)}.`
        : 'Nobody had a stake to refund.',
    ].join('\n');
  }
  const resolution = summary.resolution;
  const outcome =
    resolution?.kind === 'option'
      ? `**${resolution.label}**`
      : `**${formatPercent(resolution?.probability ?? 0)}** (shares split at that probability)`;
  const lines = [`🏁 Market #${market.id} resolved to ${outcome}: “${market.question}”`];
  if (payouts.top.length > 0) {
    lines.push(
      `Top winners: ${payouts.top.map((winner, index) => `${index + 1}. ${mention(winner.userId)} ${formatPoints(winner.points)}`).join(' · ')}`,
      `Total paid: ${formatPoints(payouts.total)} to ${who(payouts.recipients)}.`,
    );
  } else {
    lines.push('Nobody held the winning side; nothing was paid to traders.');
  }
  return lines.join('\n');
}
