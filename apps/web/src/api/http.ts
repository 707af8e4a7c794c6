import { connection } from './connection';

/** The API answered with an error body ({error, message, code}). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  constructor(status: number, message: string, code: string | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The request never got an answer from the API itself. */
export class ApiUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiUnreachableError';
  }
}

const GATEWAY_STATUSES = new Set([502, 503, 504]);

export interface GetOptions {
  readonly signal?: AbortSignal | undefined;
  /** Statuses whose JSON body is an answer, not an error (e.g. /health's 503). */
  readonly acceptStatuses?: readonly number[];
}

/** GETs JSON from the API (same origin), reporting reachability to the connection banner. */
export async function getJson<T>(path: string, options: GetOptions = {}): Promise<T> {
  let response: Response;
  try {
    // No custom headers: the page preloads its first reads, and a preload is reused only for a plain request.
    response = await fetch(path, { signal: options.signal ?? null });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    connection.unreachable();
    throw new ApiUnreachableError(`Cannot reach the Coachwire API (${(error as Error).message}).`);
  }
  const body = await readJson(response);
  if (response.ok || options.acceptStatuses?.includes(response.status)) {
    if (body === undefined) {
      connection.unreachable();
      throw new ApiUnreachableError(`The API answered ${path} with something other than JSON.`);
    }
    connection.reached();
    return body as T;
  }
  const error = body as { message?: string; code?: string } | undefined;
  if (body === undefined && GATEWAY_STATUSES.has(response.status)) {
    connection.unreachable();
    throw new ApiUnreachableError(`The API is not answering (HTTP ${response.status}).`);
  }
  if (response.status === 401) connection.keyRequired();
  else connection.reached();
  throw new ApiError(response.status, error?.message ?? `HTTP ${response.status}`, error?.code ?? null);
}

/** Like getJson, but a 404 is null: for things that may not exist (a market id, a coach). */
export async function getJsonOrNull<T>(path: string, options: GetOptions = {}): Promise<T | null> {
  try {
    return await getJson<T>(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
