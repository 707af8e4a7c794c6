// Check health and read the metrics, e.g. from cron or a dashboard. Exits 1 when the API is unhealthy.
//   COACHWIRE_API_URL=http://127.0.0.1:5000 node examples/monitor-health-and-metrics.mjs
// (For a plain exit status, `coachwire health --url http://127.0.0.1:5000` does the same job; --url takes the
// API's base URL, as COACHWIRE_API_URL does.)
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
  const health = await client.checkHealth();
  console.log(`status: ${health.status}`);
  for (const [name, component] of Object.entries(health.components ?? {}))
    console.log(`  ${name}: ${component.status}`);

  // Prometheus text format, for a scraper; pick out a few lines to show.
  const metrics = await (await fetch(`${baseUrl}/metrics/prometheus`)).text();
  const interesting = metrics
    .split('\n')
    .filter((line) => /^(coachwire_\w+|process_resident_memory_bytes)\b/.test(line));
  console.log(
    `metrics: ${metrics.split('\n').filter((line) => line && !line.startsWith('#')).length} samples, e.g.`,
  );
  for (const line of interesting.slice(0, 5)) console.log(`  ${line}`);

  // What this client itself has seen: requests, cache hits, retries.
  console.log(`client: ${JSON.stringify(client.getMetrics())}`);
  process.exitCode = health.status === 'healthy' ? 0 : 1;
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
