import type { ReactNode } from 'react';
import { ApiError } from '../api/http';

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

/** An error that is not "the API is unreachable" (the banner says that): e.g. a 400 or a 500. */
export function ErrorNotice({ error, what }: { error: unknown; what: string }) {
  // A 401 means api.require_key_for_reads (the banner explains it): the API's "send Authorization: Bearer
  // <key>" is advice the page cannot follow, so a member is not given it.
  const message =
    error instanceof ApiError && error.status === 401
      ? 'This server requires an API key for reads.'
      : error instanceof ApiError
        ? `${error.message}${error.code ? ` (${error.code})` : ''}`
        : 'The API could not be reached.';
  return (
    <p className="notice notice-error" role="alert">
      <strong>Could not load {what}.</strong> {message}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="empty">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
