// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { MarketsPage } from '../pages/MarketsPage';
import { CrowdProbability } from './CrowdProbability';
import { cpmmMarket } from './fixtures';

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

const noMarkets = { data: [], next_cursor: null };

describe('market views', () => {
  it('shows no crowd probability on the card of a plan without a market', async () => {
    await renderWith(<CrowdProbability planId={42} />, answer(200, noMarkets));
    expect(container.innerHTML).toBe('');
  });

  it('says how to open a market when none is open, without an error', async () => {
    await renderWith(<MarketsPage />, answer(200, noMarkets));
    await vi.waitFor(() => expect(container.textContent).toContain('No open markets'));
    expect(container.textContent).toContain('/market create');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it("shows the crowd's probability on the plan card, linked to the market", async () => {
    const fetch = answer(200, { data: [cpmmMarket], next_cursor: null });
    await renderWith(<CrowdProbability planId={42} />, fetch);
    await vi.waitFor(() => expect(container.textContent).toBe('Crowd 62% yes'));
    expect(container.querySelector('a')?.getAttribute('href')).toBe('/markets/7');
    expect(String(fetch.mock.calls[0]![0])).toContain('plan_id=42');
  });
});
