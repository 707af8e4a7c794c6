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
  const message =
    error instanceof ApiError
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
