// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { MarketsPage } from '../pages/MarketsPage';
import { CrowdProbability } from './CrowdProbability';
import { cpmmMarket } from './fixtures';

// Until the API has the market routes they answer 404: market views must hide or say so calmly.

let container: HTMLElement;
let root: Root;
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function answer(status: number, body: unknown) {
  return vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
}

/** Renders, then waits until every query it started has settled. */
async function renderWith(node: ReactNode, fetch: ReturnType<typeof answer>) {
  vi.stubGlobal('fetch', fetch);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await act(async () => {
    root.render(
      <QueryClientProvider client={client}>
        <Router ssrPath="/">{node}</Router>
      </QueryClientProvider>,
    );
  });
  await vi.waitFor(() => {
    expect(fetch).toHaveBeenCalled();
    expect(client.isFetching()).toBe(0);
  });
  // React Query notifies its observers on a later tick: let that render happen.
  await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

const notFound = {
  error: 'Not Found',
  message: 'No route GET /api/v1/markets. See /docs.',
  code: 'NOT_FOUND',
};

describe('market views while the API has no market routes', () => {
  it('shows no crowd probability on a plan card', async () => {
    await renderWith(<CrowdProbability planId={42} />, answer(404, notFound));
    expect(container.innerHTML).toBe('');
  });

  it('says markets are not available instead of an error', async () => {
    await renderWith(<MarketsPage />, answer(404, notFound));
    await vi.waitFor(() =>
      expect(container.textContent).toContain('Markets are not available on this server yet'),
    );
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });
});

describe('market views once the routes exist', () => {
  it("shows the crowd's probability on the plan card, linked to the market", async () => {
    const fetch = answer(200, { data: [cpmmMarket], next_cursor: null });
    await renderWith(<CrowdProbability planId={42} />, fetch);
    await vi.waitFor(() => expect(container.textContent).toBe('Crowd 62% yes'));
    expect(container.querySelector('a')?.getAttribute('href')).toBe('/markets/7');
    expect(String(fetch.mock.calls[0]![0])).toContain('plan_id=42');
  });
});
