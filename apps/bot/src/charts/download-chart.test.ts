import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makePng } from '@coachwire/discord-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChartDownloadError, downloadChart, isAllowedChartUrl } from './download-chart.js';

let server: Server;
let base: string;
let host: string;
let bytesSentOfHuge = 0;
const png = makePng(64, 32);

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/chart.png') return response.end(png);
    if (path === '/fake.png') return response.end('<html>definitely not a png</html>');
    if (path === '/empty.png') return response.end();
    if (path === '/redirect-away') {
      response.writeHead(302, {
        location: `http://localhost:${(server.address() as AddressInfo).port}/chart.png`,
      });
      return response.end();
    }
    if (path === '/redirect-home') {
      response.writeHead(301, { location: '/chart.png' });
      return response.end();
    }
    if (path === '/huge.png') {
      // No content-length: the client must stop reading at the cap by itself.
      response.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (!response.destroyed && bytesSentOfHuge < 64 * 1024 * 1024) {
          bytesSentOfHuge += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      return pump();
    }
    if (path === '/slow.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(png.subarray(0, 8));
      return; // never finishes
    }
    response.statusCode = path === '/error.png' ? 500 : 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options = () => ({ allowedHosts: [host], maxBytes: 1024 * 1024, timeoutMs: 2000 });

async function problemOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'downloaded';
  } catch (error) {
    expect(error).toBeInstanceOf(ChartDownloadError);
    return (error as ChartDownloadError).problem;
  }
}

describe('downloadChart', () => {
  it('downloads an image from an allowed host and identifies it by its bytes', async () => {
    const { bytes, image } = await downloadChart(`${base}/chart.png`, options());
    expect(bytes.equals(png)).toBe(true);
    expect(image).toMatchObject({ contentType: 'image/png', width: 64, height: 32 });
  });

  it('refuses hosts that are not allowed before connecting', async () => {
    expect(await problemOf(downloadChart('http://169.254.169.254/latest/meta-data', options()))).toBe(
      'host-not-allowed',
    );
    expect(await problemOf(downloadChart('file:///etc/passwd', options()))).toBe('host-not-allowed');
    expect(isAllowedChartUrl(new URL('https://cdn.discordapp.com/a.png'), ['cdn.discordapp.com'])).toBe(true);
    expect(
      isAllowedChartUrl(new URL('https://cdn.discordapp.com.evil.test/a.png'), ['cdn.discordapp.com']),
    ).toBe(false);
    expect(isAllowedChartUrl(new URL('http://cdn.discordapp.com/a.png'), ['cdn.discordapp.com'])).toBe(false);
    expect(isAllowedChartUrl(new URL('https://cdn.discordapp.com:8443/a.png'), ['cdn.discordapp.com'])).toBe(
      false,
    );
  });

  it('follows redirects only to allowed hosts', async () => {
    expect((await downloadChart(`${base}/redirect-home`, options())).image.contentType).toBe('image/png');
    expect(await problemOf(downloadChart(`${base}/redirect-away`, options()))).toBe('redirect-not-allowed');
  });

  it('refuses a file that claims to be a PNG but is not, and a zero-byte file', async () => {
    expect(await problemOf(downloadChart(`${base}/fake.png`, options()))).toBe('not-an-image');
    expect(await problemOf(downloadChart(`${base}/empty.png`, options()))).toBe('empty');
  });

  it('stops reading an oversize file at the cap', async () => {
    expect(await problemOf(downloadChart(`${base}/huge.png`, options()))).toBe('too-large');
    expect(bytesSentOfHuge).toBeLessThan(64 * 1024 * 1024);
  });

  it('gives up on a slow download at the timeout', async () => {
    const error = await problemOf(downloadChart(`${base}/slow.png`, { ...options(), timeoutMs: 300 }));
    expect(error).toBe('timeout');
  });

  it('treats a missing file as final and a server error as retryable', async () => {
    const missing = await downloadChart(`${base}/missing.png`, options()).catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(ChartDownloadError);
    expect((missing as ChartDownloadError).problem).toBe('gone');
    expect((missing as ChartDownloadError).final).toBe(true);
    const failing = await downloadChart(`${base}/error.png`, options()).catch((caught: unknown) => caught);
    expect((failing as ChartDownloadError).problem).toBe('http-status');
    expect((failing as ChartDownloadError).final).toBe(false);
  });
});
