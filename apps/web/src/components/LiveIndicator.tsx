import { useConnection } from '../api/connection';

/** "Live" while the event stream is open, so a viewer knows the page updates by itself. */
export function LiveIndicator() {
  const { streamOpen } = useConnection();
  return (
    <span className={`live ${streamOpen ? 'live-on' : 'live-off'}`} role="status" data-live={streamOpen}>
      <span aria-hidden="true">{streamOpen ? '●' : '○'}</span> {streamOpen ? 'Live' : 'Connecting…'}
    </span>
  );
}
