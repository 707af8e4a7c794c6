import { EmptyState } from '../components/Notices';

/** What market pages show while the API has no market routes (they answer 404). */
export function MarketsUnavailable() {
  return (
    <EmptyState title="Markets are not available on this server yet">
      <p>This Coachwire API does not serve prediction markets. Plans and coaches work as usual.</p>
    </EmptyState>
  );
}
