// Fetch plans the way TradingAgents does, with the npm client (cache, retries, fallbacks built in).
//   COACHWIRE_API_URL=http://127.0.0.1:5000 node examples/fetch-plans-with-client.mjs
import { createClient } from '@coachwire/webhook-client';

const client = createClient({ baseUrl: process.env.COACHWIRE_API_URL ?? 'http://127.0.0.1:5000' });
try {
  // The legacy /api/coach-plans/all shape: { coach_d: { plan, charts, author, created_at, edited_at }, ... },
  // only coaches with a plan that day; edited_at is null until the plan is edited.
  const today = await client.fetchAllCoachPlans();
  console.log(`Today's plans: ${Object.keys(today).join(', ') || 'none yet'}`);

  // The v1 API: every plan, newest first, page by page.
  let count = 0;
  for await (const page of client.listPlans({ limit: 50 })) {
    for (const plan of page.data) {
      if (count < 3) console.log(`${plan.trading_date} coach ${plan.coach}: ${plan.text.split('\n')[0]}`);
      count++;
    }
  }
  console.log(`${count} plan(s) in all.`);
} finally {
  await client.close();
}
