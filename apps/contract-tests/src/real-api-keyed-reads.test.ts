import { createClient, type PlanEvent } from '@coachwire/webhook-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealApi, startRealApi, TODAY, TRADINGAGENTS_KEY } from './test-support/real-coachwire-api.js';

let api: RealApi;
beforeAll(async () => {
  api = await startRealApi({ keyedReads: true });
});
afterAll(async () => {
  await api?.close();
});

describe('a deployment that requires a key for reads', () => {
  it('reads legacy and v1 plans and receives events with the key, and is refused without it', async () => {
    const { plan } = await api.bot.post(
      { id: '1', name: 'alice' },
      { coach: 'd', text: 'Keyed read', tradingDate: TODAY },
    );
    const client = createClient({ baseUrl: api.baseUrl, apiKey: TRADINGAGENTS_KEY, retries: 0 });
    const anonymous = createClient({ baseUrl: api.baseUrl, retries: 0 });
    try {
      expect((await client.fetchCoachPlan('d', TODAY)).plan).toBe('Keyed read');
      expect((await client.getPlan(plan.id)).text).toBe('Keyed read');
      expect((await anonymous.fetchCoachPlan('d', TODAY)).plan).toMatch(/^Error fetching plan for coach d: /);

      const opened = new Promise<void>((resolve) => {
        const received: PlanEvent[] = [];
        client.subscribe((event) => received.push(event), { onOpen: () => resolve() });
      });
      await opened;
    } finally {
      await client.close();
      await anonymous.close();
    }
  });
});
