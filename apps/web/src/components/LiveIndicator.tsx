import { useConnection } from '../api/connection';

/**
 * "Live" while the event stream is open, so a viewer knows the page updates by itself. An API that wants a key
 * for reads will never let the page connect: it says so rather than "Connecting…" forever.
 */
export function LiveIndicator() {
  const { streamOpen, keyRequired } = useConnection();
  const label = streamOpen ? 'Live' : keyRequired ? 'Not connected' : 'Connecting…';
  return (
    <span className={`live ${streamOpen ? 'live-on' : 'live-off'}`} role="status" data-live={streamOpen}>
      <span aria-hidden="true">{streamOpen ? '●' : '○'}</span> {label}
    </span>
  );
}
