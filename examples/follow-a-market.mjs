// Open a play-money market through the API, bet on it, and print its price as trades arrive (server-sent events).
//   COACHWIRE_API_URL=http://127.0.0.1:5000 COACHWIRE_API_KEY=... node examples/follow-a-market.mjs
// Writes need an API key from `api.keys`. Stops after EXAMPLE_MAX_EVENTS market events (default: until Ctrl-C).
// The market goes to the guild COACHWIRE_GUILD_ID (default 900000000000000001, a guild of its own, not the mock's).
import {
  ApiError,
  CircuitOpenError,
  createClient,
  InsufficientBalanceError,
  NetworkError,
  TimeoutError,
} from '@coachwire/webhook-client';

if (!process.env.COACHWIRE_API_KEY) {
  console.error('This example opens a market and bets, which needs an API key: none is set.');
  console.error(
    'Fix: give the API a key (API_KEY_SHA256=<its SHA-256> in .env, see docs/DEPLOYMENT.md), restart it, ' +
      'and run COACHWIRE_API_KEY=<the key> node examples/follow-a-market.mjs',
  );
  process.exit(1);
}

const baseUrl = process.env.COACHWIRE_API_URL ?? 'http://127.0.0.1:5000';
const client = createClient({
  baseUrl,
  apiKey: process.env.COACHWIRE_API_KEY,
});
const guildId = process.env.COACHWIRE_GUILD_ID ?? '900000000000000001';
const max = Number(process.env.EXAMPLE_MAX_EVENTS ?? Number.POSITIVE_INFINITY);
const percent = (market) => `${(market.options[0].probability * 100).toFixed(1)}% YES`;

const creator = 'example-creator';
let market;
try {
  market = await client.createMarket({
    guildId,
    userId: creator,
    question: 'Will SPY close green tomorrow?',
    mechanism: 'cpmm',
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
} catch (error) {
  // The API is down or not where COACHWIRE_API_URL says (the client retried, then gave up).
  if (error instanceof NetworkError || error instanceof TimeoutError || error instanceof CircuitOpenError) {
    await client.close();
    console.error(`Cannot reach the Coachwire API at ${baseUrl}: ${error.message}`);
    console.error('Fix: start it (pnpm start prints its address) or set COACHWIRE_API_URL to its base URL.');
    process.exit(1);
  }
  if (error instanceof ApiError && error.requestId === undefined) {
    // Every answer of the Coachwire API carries an x-request-id; this one came from another program.
    await client.close();
    console.error(`The server at ${baseUrl} is not the Coachwire API (HTTP ${error.status}).`);
    console.error(
      'Fix: set COACHWIRE_API_URL to the address pnpm start prints (another program answers on this one).',
    );
    process.exit(1);
  }
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    await client.close();
    console.error(
      `The Coachwire API at ${baseUrl} refused the request (HTTP ${error.status}): ${error.message}`,
    );
    console.error(
      'Fix: set COACHWIRE_API_KEY to the key whose SHA-256 the API has (API_KEY_SHA256=<its SHA-256> in .env, ' +
        'see docs/DEPLOYMENT.md); after changing .env, restart the API.',
    );
    process.exit(1);
  }
  if (!(error instanceof InsufficientBalanceError)) throw error;
  // Each run's market costs its creator the subsidy (100 points): about ten runs spend a new member's 1000.
  await client.close();
  console.error(`${creator} cannot pay another market's subsidy: ${error.message}`);
  console.error(
    `Fix: grant it points with the API key, e.g. curl -X POST ${process.env.COACHWIRE_API_URL ?? 'http://127.0.0.1:5000'}` +
      `/api/v1/guilds/${guildId}/users/${creator}/grants -H "Authorization: Bearer $COACHWIRE_API_KEY" ` +
      `-H "Idempotency-Key: $(date +%s)" -H 'Content-Type: application/json' -d '{"amount": 1000, "reason": "examples"}'`,
  );
  process.exit(1);
}
console.log(`opened market ${market.id}: ${market.question} (${percent(market)})`);

let seen = 0;
const stop = async () => {
  unsubscribe();
  await client.close();
};
const unsubscribe = client.subscribeMarkets(
  async (event) => {
    if (event.type !== 'market.traded') return;
    const now = await client.getMarket(market.id);
    console.log(
      `trade: ${event.side} ${event.points} points on option ${event.option_id}; now ${percent(now)}`,
    );
    if (++seen >= max) await stop();
  },
  {
    marketId: market.id,
    onOpen: async () => {
      try {
        const { bet, balance } = await client.placeBet(market.id, {
          userId: 'example-trader',
          option: 'Yes',
          amount: 50,
        });
        console.log(`bet ${bet.amount} points for ${bet.shares.toFixed(2)} shares; balance ${balance}`);
      } catch (error) {
        if (error instanceof InsufficientBalanceError)
          console.log(`cannot afford it: balance ${error.balance}`);
        else throw error;
      }
    },
    onError: (error) => console.error(`connection problem (reconnecting): ${error.message ?? error}`),
  },
);
process.once('SIGINT', () => void stop());
