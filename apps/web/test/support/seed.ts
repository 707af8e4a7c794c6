import type { LiveApi } from './live-api';

export const COACHES = ['d', 'i', 's', 'n'] as const;
/** Charts per coach on the seeded day: 10 in all, as in the benchmark the issue names. */
const CHARTS_PER_COACH = [3, 3, 2, 2];

/** Plan text with a link, line breaks, and markup that must show as text, never run. */
export const TRICKY_TEXT =
  'Long SPY above 450, stop 445.\nWatch <b>NVDA</b> <img src=x onerror="window.__pwned=1">\nLevels: https://example.com/levels?d=1.';

export interface SeededPlan {
  readonly id: number;
  readonly coach: string;
  readonly text: string;
}

async function created(response: Response): Promise<SeededPlan> {
  const body = (await response.json()) as SeededPlan & { message?: string };
  if (response.status !== 201) throw new Error(`Seeding failed: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Seeds `date` with one plan per coach and 10 charts, edits one plan, and puts two plans on `otherDate`. */
export async function seedPlans(api: LiveApi, date: string, otherDate: string): Promise<SeededPlan[]> {
  let chartIndex = 0;
  const plans: SeededPlan[] = [];
  for (const [index, coach] of COACHES.entries()) {
    const charts = Array.from({ length: CHARTS_PER_COACH[index]! }, () => {
      const n = chartIndex++;
      return {
        url: `${api.chartBaseUrl}/chart-${n}.png`,
        filename: `chart-${n}.png`,
        content_type: 'image/png',
      };
    });
    const text =
      index === 0 ? TRICKY_TEXT : `Coach ${coach.toUpperCase()} plan for ${date}: buy dips, size small.`;
    plans.push(await created(await api.post('/api/v1/plans', { coach, date, text, charts })));
  }
  const edited = await api.patch(`/api/v1/plans/${plans[1]!.id}`, {
    text: `Coach I plan for ${date}, revised: wait for the open range break.`,
  });
  if (!edited.ok) throw new Error(`Seeding the edit failed: ${edited.status} ${await edited.text()}`);
  for (const coach of ['d', 's']) {
    await created(
      await api.post('/api/v1/plans', {
        coach,
        date: otherDate,
        text: `Earlier plan of coach ${coach} on ${otherDate}.`,
      }),
    );
  }
  return plans;
}
