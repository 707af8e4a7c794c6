import { useConnection } from '../api/connection';

/** Says when what is shown may be stale: the API is unreachable, needs a key, or live updates are paused. */
export function ConnectionBanner() {
  const state = useConnection();
  if (state.keyRequired) {
    return (
      <div className="banner banner-error" role="alert">
        <strong>This Coachwire server requires an API key for every read.</strong> The dashboard has no login,
        so it cannot show plans, markets or status here. Its operator can open it to the dashboard by setting{' '}
        <code>api.require_key_for_reads: false</code>.
      </div>
    );
  }
  if (state.apiUnreachable) {
    const since = state.lastSuccessAt ? new Date(state.lastSuccessAt).toLocaleTimeString() : null;
    return (
      <div className="banner banner-error" role="alert">
        <strong>Cannot reach the Coachwire API.</strong> Retrying…
        {since ? ` Showing what was loaded at ${since}.` : ''}
      </div>
    );
  }
  if (state.streamDown) {
    return (
      <div className="banner banner-warn" role="status">
        <strong>Live updates paused.</strong> Reconnecting to the event stream…
      </div>
    );
  }
  return null;
}
