// `pnpm --filter @coachwire/web bench`: cold load of the landing page in headless Chromium against the real
// API on loopback, with 4 coaches' plans and 10 charts. Prints figures; asserts nothing.
// Goals (issue 16): plans visible < 1 s; JavaScript shipped < 200 KB gzipped.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, newContext } from '../test/support/browser';
import { startLiveApi } from '../test/support/live-api';
import { seedPlans } from '../test/support/seed';

const RUNS = 7;
const distDir = join(import.meta.dirname, '../dist');

function firstLoadScripts(): { file: string; raw: number; gzip: number }[] {
  const page = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = [...page.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  return files.map((file) => {
    const bytes = readFileSync(join(distDir, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

function allScripts(): number {
  return readdirSync(join(distDir, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .reduce(
      (sum, name) => sum + gzipSync(readFileSync(join(distDir, 'assets', name)), { level: 9 }).length,
      0,
    );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const api = await startLiveApi();
const browser = await launchBrowser();
try {
  const today = (await api.get<{ today: string }>('/api/v1/calendar')).today;
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await seedPlans(api, today, yesterday);

  const plansVisible: number[] = [];
  const chartsLoaded: number[] = [];
  let scriptTransfer = 0;
  for (let run = 0; run < RUNS; run++) {
    // A new context each time: empty cache, as a first visit.
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${api.baseUrl}/app/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.querySelectorAll('.plan-card .plan-text').length === 4, null, {
      polling: 'raf',
    });
    plansVisible.push(await page.evaluate(() => performance.now()));
    await page.waitForFunction(
      () => {
        const images = [...document.querySelectorAll<HTMLImageElement>('.charts img')];
        return images.length === 10 && images.every((image) => image.complete && image.naturalWidth > 0);
      },
      null,
      { polling: 'raf' },
    );
    chartsLoaded.push(await page.evaluate(() => performance.now()));
    scriptTransfer = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter(
          (entry) =>
            (entry as PerformanceResourceTiming).initiatorType === 'script' || entry.name.endsWith('.js'),
        )
        .reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).encodedBodySize, 0),
    );
    await context.close();
  }

  const scripts = firstLoadScripts();
  console.log('Landing page, cold load, 4 coaches, 10 charts, headless Chromium, loopback API:');
  console.log(
    `  plans visible:  median ${median(plansVisible).toFixed(0)} ms  (runs: ${plansVisible.map((ms) => ms.toFixed(0)).join(', ')})  goal < 1000 ms`,
  );
  console.log(
    `  charts loaded:  median ${median(chartsLoaded).toFixed(0)} ms  (runs: ${chartsLoaded.map((ms) => ms.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  first-load JS:  ${kb(scripts.reduce((sum, script) => sum + script.gzip, 0))} gzipped (${kb(scripts.reduce((sum, script) => sum + script.raw, 0))} raw) in ${scripts.map((script) => script.file).join(', ')}  goal < 200 KB`,
  );
  console.log(`  JS transferred on the landing page (as served, gzip): ${kb(scriptTransfer)}`);
  console.log(`  all JS chunks (incl. lazy chart code): ${kb(allScripts())} gzipped`);
} finally {
  await browser.close();
  await api.close();
}
