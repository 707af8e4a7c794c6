import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { healthUrlFor } from './health-command.js';

const HEALTHY = { status: 'healthy', components: { database: { status: 'up' } } };

/** Every answer ends with a `Fix:` line (the project's rule for CLI failures). */
const FIX_LINE = /^Fix: \S.*$/m;

describe('coachwire health', () => {
  let sandbox: CliSandbox;
  let server: Server | undefined;
  /** The paths the test server was asked for, in order. */
  let asked: string[];

  beforeEach(() => {
    sandbox = cliSandbox();
    asked = [];
  });
  afterEach(async () => {
    sandbox.remove();
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    server = undefined;
  });

  /** A real HTTP server on 127.0.0.1; returns its base URL (no trailing slash). */
  async function listen(
    handler: (request: IncomingMessage, response: ServerResponse) => void,
  ): Promise<string> {
    server = createServer((request, response) => {
      asked.push(request.url ?? '');
      handler(request, response);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /**
   * Like the real API: the health report at /health (also under /coachwire, as behind a proxy with a path
   * prefix), `{"status":"ok"}` at the probes, and a 200 HTML page (the dashboard) everywhere else.
   */
  function apiLike(report: { status: number; body: unknown } = { status: 200, body: HEALTHY }) {
    return (request: IncomingMessage, response: ServerResponse) => {
      const path = (request.url ?? '').replace(/^\/coachwire/, '');
      if (path === '/health') json(response, report.status, report.body);
      else if (path === '/health/live' || path === '/health/ready') json(response, 200, { status: 'ok' });
      else
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>Coachwire</title>');
    };
  }

  /** A port nothing listens on: listen, note the port, close. */
  async function closedPort(): Promise<string> {
    const base = await listen(() => {});
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    return base;
  }

  it('checks /health on the API base URL, as in COACHWIRE_API_URL', async () => {
    const base = await listen(apiLike());
    const result = await sandbox.run('health', '--url', base);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(`${base}/health: healthy (database up)\n`);
    expect(asked).toStrictEqual(['/health']);
  });

  it('checks /health on a base URL with a trailing slash or a path prefix', async () => {
    const base = await listen(apiLike());
    for (const given of [`${base}/`, `${base}//`, `${base}/coachwire`, `${base}/coachwire/`]) {
      const result = await sandbox.run('health', '--url', given);
      expect(result, given).toMatchObject({ status: 0, stderr: '' });
    }
    expect(asked).toStrictEqual(['/health', '/health', '/coachwire/health', '/coachwire/health']);
  });

  it('still takes a full /health, /health/live or /health/ready URL as given (existing scripts)', async () => {
    const base = await listen(apiLike());
    for (const path of ['/health', '/health/', '/health/live', '/health/ready', '/coachwire/health']) {
      const result = await sandbox.run('health', '--url', `${base}${path}`);
      expect(result, path).toMatchObject({ status: 0, stderr: '' });
    }
    expect(asked).toStrictEqual(['/health', '/health', '/health/live', '/health/ready', '/coachwire/health']);
  });

  it('without --url, asks /health on the configured API_HOST and API_PORT', async () => {
    const base = await listen(apiLike());
    const configured = cliSandbox({ API_HOST: '0.0.0.0', API_PORT: new URL(base).port });
    try {
      const result = await configured.run('health');
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toBe(`${base}/health: healthy (database up)\n`);
    } finally {
      configured.remove();
    }
    expect(asked).toStrictEqual(['/health']);
  });

  it('exits 1 with a Fix line when the API answers unhealthy', async () => {
    const base = await listen(
      apiLike({ status: 503, body: { status: 'unhealthy', components: { database: { status: 'down' } } } }),
    );
    const result = await sandbox.run('health', '--url', base);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `unhealthy: ${base}/health answered HTTP 503: unhealthy (database down).`,
    );
    expect(result.stderr).toMatch(/^Fix: the API cannot use its database: the API's log says why;/m);
  });

  it('exits 1 with a Fix line when a 200 answer is not healthy', async () => {
    const base = await listen(
      apiLike({ status: 200, body: { status: 'degraded', components: { database: { status: 'up' } } } }),
    );
    const result = await sandbox.run('health', '--url', base);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('answered HTTP 200: degraded (database up).');
    expect(result.stderr).toMatch(/^Fix: see the failing checks above; the API's log says why\.$/m);
  });

  it('exits 1 with a Fix line when something other than the API answers', async () => {
    // A web page where the health report should be: the mistake this command used to make with a base URL.
    const page = await listen((_request, response) => response.writeHead(200).end('<html></html>'));
    const notApi = await sandbox.run('health', '--url', page);
    expect(notApi.status).toBe(1);
    expect(notApi.stderr).toContain(`unhealthy: ${page}/health answered HTTP 200 (no content type)`);
    expect(notApi.stderr).toMatch(
      /^Fix: something other than the Coachwire API answers there: check that --url/m,
    );
  });

  it('exits 1 with a Fix line on a 404, a 401 or a 502 without a health report', async () => {
    let code = 404;
    const base = await listen((_request, response) => json(response, code, { error: 'nope' }));
    const missing = await sandbox.run('health', '--url', base);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no health endpoint there');
    expect(missing.stderr).toMatch(/^Fix: check that --url is the Coachwire API's base URL/m);
    code = 401;
    const locked = await sandbox.run('health', '--url', base);
    expect(locked.status).toBe(1);
    expect(locked.stderr).toMatch(
      /^Fix: set COACHWIRE_API_KEY to one of the API's keys .*--url .*\/health\/ready\.$/m,
    );
    code = 502;
    const proxy = await sandbox.run('health', '--url', base);
    expect(proxy.status).toBe(1);
    expect(proxy.stderr).toMatch(/^Fix: .*why it answered HTTP 502\.$/m);
  });

  it('sends COACHWIRE_API_KEY as a bearer token, for an API that wants a key for reads', async () => {
    const base = await listen((request, response) => {
      if (request.headers.authorization !== 'Bearer k-health-1')
        json(response, 401, { code: 'UNAUTHORIZED' });
      else apiLike()(request, response);
    });
    const keyed = cliSandbox({ COACHWIRE_API_KEY: 'k-health-1' });
    const wrong = cliSandbox({ COACHWIRE_API_KEY: 'k-wrong-2' });
    try {
      const healthy = await keyed.run('health', '--url', base);
      expect(healthy.status).toBe(0);
      const refused = await wrong.run('health', '--url', base);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('the API refused the key in COACHWIRE_API_KEY');
      expect(refused.stderr).toMatch(FIX_LINE);
      expect(`${refused.stdout}${refused.stderr}`).not.toContain('k-wrong-2');
    } finally {
      keyed.remove();
      wrong.remove();
    }
  });

  it('exits 1 with a Fix line when nothing listens on the port', async () => {
    const base = await closedPort();
    const result = await sandbox.run('health', '--url', base);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot reach ${base}/health (ECONNREFUSED)`);
    expect(result.stderr).toMatch(/^Fix: start the API \(`pnpm start`.*or check that --url is/m);
    const configured = cliSandbox({ API_HOST: '127.0.0.1', API_PORT: new URL(base).port });
    try {
      const fromConfig = await configured.run('health');
      expect(fromConfig.status).toBe(1);
      expect(fromConfig.stderr).toMatch(/^Fix: start the API .*check that API_HOST\/API_PORT/m);
    } finally {
      configured.remove();
    }
  });

  it('gives up with a Fix line when the API never answers, or stalls half-way through its answer', async () => {
    const base = await listen((request, response) => {
      // /stall sends the head, then never the body; anything else gets no answer at all.
      if (request.url === '/stall/health')
        response.writeHead(200, { 'content-type': 'application/json' }).write('{"status":');
    });
    for (const given of [base, `${base}/stall`]) {
      const result = await sandbox.run('health', '--url', given, '--timeout', '0.2');
      expect(result.status, given).toBe(1);
      expect(result.stderr, given).toContain('within 0.2s');
      expect(result.stderr, given).toMatch(/^Fix: check that the API is running and not stuck .*--timeout/m);
    }
  });

  it('exits 1 with a Fix line when a required component is not up, and 2 when it is no component at all', async () => {
    const base = await listen(
      apiLike({
        status: 200,
        body: {
          status: 'healthy',
          components: {
            database: { status: 'up' },
            // An escape sequence in the error would recolour the operator's terminal: it is shown, not sent.
            discord_bot: {
              status: 'disconnected',
              state: 'retrying',
              last_error: 'ECONNREFUSED\u001b[31m\r\nfake line',
            },
          },
        },
      }),
    );
    const bot = await sandbox.run('health', '--url', base, '--require', 'discord_bot');
    expect(bot.status).toBe(1);
    expect(bot.stderr).toContain(
      'unhealthy: discord_bot is disconnected, state retrying, last error: ECONNREFUSED\\u001b[31m\\u000d\\u000afake line',
    );
    expect(bot.stderr).not.toContain('\u001b');
    expect(bot.stderr).toMatch(/^Fix: start the bot .*see the bot's log/m);
    // A name the API does not report is a mistyped option (exit 2, as the help says), not an unhealthy API.
    const typo = await sandbox.run('health', '--url', base, '--require', 'discord');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^Fix: --require takes a component .* reports: database, discord_bot\.$/m);
    expect((await sandbox.run('health', '--url', base, '--require', 'database')).status).toBe(0);
  });

  it('refuses a bad --url or --timeout with exit 2 and a Fix line, before contacting anything', async () => {
    for (const args of [
      ['--url', 'not a url'],
      ['--url', 'localhost:5000'],
      ['--url', 'ftp://127.0.0.1:5000'],
      ['--timeout', '0'],
      ['--timeout', 'soon'],
      ['--timeout', '1e12'],
      // Read by Number() as 16 and 0: not what an operator means by a number of seconds.
      ['--timeout', '0x10'],
      ['--timeout', ''],
    ]) {
      const result = await sandbox.run('health', ...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(FIX_LINE);
    }
  });

  it('refuses a --url with a user name or password with exit 2, never printing the password', async () => {
    const base = await listen(apiLike());
    const withPassword = base.replace('http://', 'http://operator:s3cr3t-Pa55@');
    const result = await sandbox.run('health', '--url', withPassword);
    expect(result.status).toBe(2);
    expect(`${result.stdout}${result.stderr}`).not.toContain('s3cr3t-Pa55');
    expect(result.stderr).toContain('--url must not carry a user name or password');
    expect(result.stderr).toMatch(/^Fix: drop the user:password@ part/m);
    expect(asked).toEqual([]);
    // Doing what the Fix says works.
    expect((await sandbox.run('health', '--url', base)).status).toBe(0);
  });

  it('turns a base URL into its health endpoint and leaves health endpoints alone', () => {
    expect(healthUrlFor('http://127.0.0.1:5000')).toBe('http://127.0.0.1:5000/health');
    expect(healthUrlFor('http://127.0.0.1:5000/')).toBe('http://127.0.0.1:5000/health');
    expect(healthUrlFor(' https://host/coachwire/ ')).toBe('https://host/coachwire/health');
    expect(healthUrlFor('http://[::1]:5000')).toBe('http://[::1]:5000/health');
    expect(healthUrlFor('http://host/healthy-proxy')).toBe('http://host/healthy-proxy/health');
    expect(healthUrlFor('http://127.0.0.1:5000/health')).toBe('http://127.0.0.1:5000/health');
    expect(healthUrlFor('http://127.0.0.1:5000/health/')).toBe('http://127.0.0.1:5000/health');
    expect(healthUrlFor('http://api:5000/health/ready')).toBe('http://api:5000/health/ready');
  });
});
