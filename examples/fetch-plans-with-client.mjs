// Fetch plans the way TradingAgents does, with the npm client (cache, retries, fallbacks built in).
//   COACHWIRE_API_URL=http://127.0.0.1:5000 node examples/fetch-plans-with-client.mjs
import {
  ApiError,
  CircuitOpenError,
  createClient,
  NetworkError,
  TimeoutError,
} from '@coachwire/webhook-client';

const baseUrl = process.env.COACHWIRE_API_URL ?? 'http://127.0.0.1:5000';
const client = createClient({ baseUrl });
try {
  // The legacy /api/coach-plans/all shape: { coach_d: { plan, charts, author, created_at, edited_at }, ... },
  // only coaches with a plan that day; edited_at is null until the plan is edited.
  // It never throws: when the API does not answer it resolves to {} (the old client's fallback).
  const today = await client.fetchAllCoachPlans();
  const fallback =
    client.getMetrics().apiErrors > 0 ? " (the client's fallback: the API did not answer)" : '';
  console.log(`Today's plans: ${Object.keys(today).join(', ') || 'none yet'}${fallback}`);

  // The v1 API: every plan, newest first, page by page.
  let count = 0;
  for await (const page of client.listPlans({ limit: 50 })) {
    for (const plan of page.data) {
      if (count < 3) console.log(`${plan.trading_date} coach ${plan.coach}: ${plan.text.split('\n')[0]}`);
      count++;
    }
  }
  console.log(`${count} plan(s) in all.`);
} catch (error) {
  if (error instanceof NetworkError || error instanceof TimeoutError || error instanceof CircuitOpenError) {
    // The API is down or not where COACHWIRE_API_URL says (the client retried, then gave up).
    console.error(`Cannot reach the Coachwire API at ${baseUrl}: ${error.message}`);
    console.error('Fix: start it (pnpm start prints its address) or set COACHWIRE_API_URL to its base URL.');
  } else if (error instanceof ApiError && error.requestId === undefined) {
    // Every answer of the Coachwire API carries an x-request-id; this one came from another program.
    console.error(`The server at ${baseUrl} is not the Coachwire API (HTTP ${error.status}).`);
    console.error(
      'Fix: set COACHWIRE_API_URL to the address pnpm start prints (another program answers on this one).',
    );
  } else throw error;
  process.exitCode = 1;
} finally {
  await client.close();
}
