import { type ImageInfo, sniffImage } from '@coachwire/core';

/** Why a chart download was refused or failed. `final` refusals are not retried. */
export type ChartDownloadProblem =
  | 'host-not-allowed'
  | 'redirect-not-allowed'
  | 'too-many-redirects'
  | 'too-large'
  | 'not-an-image'
  | 'empty'
  | 'http-status'
  | 'gone'
  | 'timeout'
  | 'network';

const FINAL: ReadonlySet<ChartDownloadProblem> = new Set([
  'host-not-allowed',
  'redirect-not-allowed',
  'too-many-redirects',
  'too-large',
  'not-an-image',
  'empty',
  'gone',
]);

/** A download that did not produce an acceptable image; `message` is safe to show in Discord. */
export class ChartDownloadError extends Error {
  readonly problem: ChartDownloadProblem;
  readonly final: boolean;
  constructor(problem: ChartDownloadProblem, message: string) {
    super(message);
    this.name = 'ChartDownloadError';
    this.problem = problem;
    this.final = FINAL.has(problem);
  }
}

export interface ChartDownloadOptions {
  /** Host names (or host:port) downloads may reach; everything else is refused before connecting. */
  readonly allowedHosts: readonly string[];
  readonly maxBytes: number;
  /** Limit for the whole download, so a slow drip cannot hold a slot forever. */
  readonly timeoutMs: number;
  readonly maxRedirects?: number;
}

export interface DownloadedChart {
  readonly bytes: Buffer;
  readonly image: ImageInfo;
}

/**
 * True when `url`'s host is on the list. A bare host name allows only https on the default port (as Discord's
 * CDN serves); an entry with a port (`127.0.0.1:8080`, the emulator) allows exactly that host and port.
 */
export function isAllowedChartUrl(url: URL, allowedHosts: readonly string[]): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const hostname = url.hostname.toLowerCase();
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    if (allowed.includes(':')) return allowed === url.host.toLowerCase();
    return allowed === hostname && url.protocol === 'https:' && url.port === '';
  });
}

/**
 * Downloads one chart: only from allowed hosts (redirects included), reading at most `maxBytes`,
 * within `timeoutMs`, and accepting only bytes that are really png, jpeg, gif, webp or bmp.
 */
export async function downloadChart(rawUrl: string, options: ChartDownloadOptions): Promise<DownloadedChart> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = parseUrl(rawUrl);
  if (!isAllowedChartUrl(url, options.allowedHosts)) {
    throw new ChartDownloadError('host-not-allowed', `its host ${url.host} is not an allowed chart host`);
  }
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(url, { redirect: 'manual', signal });
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        if (redirects >= (options.maxRedirects ?? 3)) {
          throw new ChartDownloadError('too-many-redirects', 'it redirected too many times');
        }
        const next = new URL(response.headers.get('location')!, url);
        if (!isAllowedChartUrl(next, options.allowedHosts)) {
          throw new ChartDownloadError(
            'redirect-not-allowed',
            `it redirected to ${next.host}, which is not allowed`,
          );
        }
        url = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        // A 4xx (an expired or deleted attachment) will not heal; timeouts and rate limits may.
        const permanent =
          response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
        throw new ChartDownloadError(
          permanent ? 'gone' : 'http-status',
          `the server answered ${response.status}`,
        );
      }
      const bytes = await readCapped(response, options.maxBytes);
      if (bytes.length === 0) throw new ChartDownloadError('empty', 'the file is empty');
      const image = sniffImage(bytes);
      if (!image)
        throw new ChartDownloadError('not-an-image', 'the file is not a png, jpeg, gif, webp or bmp image');
      return { bytes, image };
    }
  } catch (error) {
    if (error instanceof ChartDownloadError) throw error;
    if (signal.aborted)
      throw new ChartDownloadError('timeout', `the download took longer than ${options.timeoutMs} ms`);
    throw new ChartDownloadError('network', `the download failed (${(error as Error).message})`);
  }
}

function parseUrl(rawUrl: string): URL {
  try {
    return new URL(rawUrl);
  } catch {
    throw new ChartDownloadError('host-not-allowed', 'its URL is not valid');
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ChartDownloadError('too-large', `it is larger than the ${formatMb(maxBytes)} limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop reading at the cap: the rest of the body is never pulled in.
      await reader.cancel();
      throw new ChartDownloadError('too-large', `it is larger than the ${formatMb(maxBytes)} limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function formatMb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
