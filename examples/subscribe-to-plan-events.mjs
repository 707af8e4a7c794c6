// Follow plan changes live (server-sent events): print each created, updated or deleted plan as it happens.
//   COACHWIRE_API_URL=http://127.0.0.1:5000 node examples/subscribe-to-plan-events.mjs
// Stops after EXAMPLE_MAX_EVENTS events (default: run until Ctrl-C).
import { createClient } from '@coachwire/webhook-client';

const client = createClient({ baseUrl: process.env.COACHWIRE_API_URL ?? 'http://127.0.0.1:5000' });
const max = Number(process.env.EXAMPLE_MAX_EVENTS ?? Number.POSITIVE_INFINITY);
let seen = 0;
const stop = async () => {
  unsubscribe();
  await client.close();
};
const unsubscribe = client.subscribe(
  (event) => {
    seen++;
    console.log(`${event.type} plan ${event.plan_id}: coach ${event.coach}, ${event.trading_date}`);
    if (seen >= max) void stop();
  },
  { onError: (error) => console.error(`connection problem (reconnecting): ${error.message ?? error}`) },
);
console.log('subscribed; waiting for plan events');
process.once('SIGINT', () => void stop());
