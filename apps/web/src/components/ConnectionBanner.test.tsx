import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { connection } from '../api/connection';
import { ConnectionBanner } from './ConnectionBanner';

// The connection state is module-wide: each case sets what it needs and the state is reset after it.
afterEach(() => {
  connection.reached();
  connection.streamUp();
});

describe('ConnectionBanner', () => {
  it('shows nothing while the API answers and the stream is open', () => {
    connection.reached();
    connection.streamUp();
    expect(renderToStaticMarkup(<ConnectionBanner />)).toBe('');
  });

  it('says live updates are paused when only the event stream is down', () => {
    connection.reached();
    connection.streamDown();
    const html = renderToStaticMarkup(<ConnectionBanner />);
    expect(html).toContain('Live updates paused.');
    expect(html).not.toContain('Cannot reach');
  });

  it('says the API cannot be reached, with the time of what is shown, when a read failed too', () => {
    connection.reached();
    const shownAt = new Date(connection.get().lastSuccessAt!).toLocaleTimeString();
    connection.streamDown();
    connection.unreachable();
    const html = renderToStaticMarkup(<ConnectionBanner />);
    expect(html).toContain('Cannot reach the Coachwire API.');
    expect(html).toContain(`Showing what was loaded at ${shownAt}.`);
    expect(html).not.toContain('Live updates paused');
  });
});
