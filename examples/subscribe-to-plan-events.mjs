// Follow plan changes live (server-sent events): print each created, updated or deleted plan as it happens.
//   COACHWIRE_API_URL=http://127.0.0.1:5000 node examples/subscribe-to-plan-events.mjs
// Stops after EXAMPLE_MAX_EVENTS events (default: run until Ctrl-C).
import { createClient } from '@coachwire/webhook-client';

const baseUrl = process.env.COACHWIRE_API_URL ?? 'http://127.0.0.1:5000';
const client = createClient({ baseUrl });
const max = Number(process.env.EXAMPLE_MAX_EVENTS ?? Number.POSITIVE_INFINITY);
let seen = 0;
let opened = false;
// Whether this outage's Fix line was printed: once per outage, though the client keeps retrying.
let told = false;
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
  {
    // Said once the stream is open, not before: until then nothing is subscribed.
    onOpen: () => {
      console.log(`${opened ? 'reconnected' : 'subscribed'}; waiting for plan events`);
      opened = true;
      told = false;
    },
    // The API is down or not where COACHWIRE_API_URL says; the client keeps trying (it follows restarts).
    onError: (error) => {
      console.error(`connection problem (reconnecting): ${error.message ?? error}`);
      if (told) return;
      told = true;
      console.error(
        `Fix: start it (pnpm start prints its address) or set COACHWIRE_API_URL to its base URL (now ${baseUrl}); ` +
          'this keeps trying until Ctrl-C.',
      );
    },
  },
);
process.once('SIGINT', () => void stop());
