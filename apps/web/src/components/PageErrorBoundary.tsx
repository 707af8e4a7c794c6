import { Component, type ReactNode } from 'react';
import { connection } from '../api/connection';

interface State {
  readonly error: Error | null;
}

/**
 * Keeps the header, banner and navigation when a page fails to render, most often because its code could not
 * be loaded while the API was unreachable. The parent gives it a key per location, so navigating resets it.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    if (/dynamically imported module|Importing a module script failed|error loading/i.test(error.message)) {
      connection.unreachable();
    }
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="notice notice-error" role="alert">
        <h1>This page could not be shown</h1>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </section>
    );
  }
}
