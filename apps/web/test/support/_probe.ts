import { startLiveApi, WRITE_KEY } from './live-api';

const api = await startLiveApi();
const post = (path: string, body: unknown, key: string) =>
  fetch(`${api.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${WRITE_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  });
try {
  const today = (await api.get<{ today: string }>('/api/v1/calendar')).today;
  const plan = (await (
    await api.post('/api/v1/plans', { coach: 'd', date: today, text: 'Long SPY' })
  ).json()) as { id: number; guild_id: unknown };
  console.log('plan', plan.id, plan.guild_id);
  const closes = new Date(Date.now() + 6 * 3600e3).toISOString();
  let r = await post(
    '/api/v1/markets',
    {
      guild_id: 'g1',
      user_id: 'u1',
      question: 'Will D work?',
      mechanism: 'cpmm',
      closes_at: closes,
      plan_id: plan.id,
    },
    'k1',
  );
  console.log(r.status, await r.text());
  r = await post(
    '/api/v1/markets',
    {
      guild_id: 'g1',
      user_id: 'u1',
      question: 'SPY Friday?',
      mechanism: 'pool',
      options: ['Above 600', '590-600', 'Below 590'],
      closes_at: closes,
    },
    'k2',
  );
  console.log(r.status, await r.text());
  r = await post(
    '/api/v1/markets/1/bets',
    { user_id: 'u2', user_name: 'alice', option: 'yes', amount: 50 },
    'k3',
  );
  console.log(r.status, await r.text());
  r = await post('/api/v1/markets/2/bets', { user_id: 'u2', option: 0, amount: 30 }, 'k4');
  console.log(r.status, await r.text());
  for (const p of [
    '/api/v1/markets?status=open',
    '/api/v1/markets/1/trades',
    '/api/v1/markets/1/history',
    '/api/v1/guilds/g1/leaderboard',
    '/api/v1/guilds/g1/users/u2',
    '/api/v1/coaches/d/calls',
    `/api/v1/markets?plan_id=${plan.id}`,
  ]) {
    const res = await fetch(api.baseUrl + p);
    console.log(p, res.status, await res.text());
  }
  const ctl = new AbortController();
  const es = await fetch(`${api.baseUrl}/api/v1/events?types=plan.*,market.*,points.*`, {
    signal: ctl.signal,
  });
  const reader = es.body!.getReader();
  await post('/api/v1/markets/1/bets', { user_id: 'u3', option: 'no', amount: 20 }, 'k5');
  let text = '';
  const until = Date.now() + 2000;
  while (Date.now() < until && !text.includes('market.traded')) {
    const { value } = await reader.read();
    text += new TextDecoder().decode(value);
  }
  console.log('SSE', text);
  ctl.abort();
} finally {
  await api.close();
}
