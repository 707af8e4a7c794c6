import { connect } from 'node:net';

/** One HTTP response as read off the wire: status, lower-cased headers and the body text. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Writes `request` (bytes exactly as given, malformed or not) to 127.0.0.1:`port` and reads the first
 * response: up to Content-Length, or to the end of the connection. Resolves null when the server closed the
 * connection without answering.
 */
export function sendRaw(port: number, request: string | Buffer): Promise<RawResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      const response = parse(Buffer.concat(chunks));
      if (response === 'incomplete') return;
      settled = true;
      socket.destroy();
      resolve(response);
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      finish();
    });
    const ended = () => {
      if (settled) return;
      settled = true;
      resolve(parse(Buffer.concat(chunks), true) as RawResponse | null);
    };
    socket.on('end', ended);
    socket.on('close', ended);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    socket.end(request);
  });
}

function parse(bytes: Buffer, ended = false): RawResponse | 'incomplete' | null {
  const text = bytes.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return ended ? null : 'incomplete';
  const [statusLine = '', ...lines] = text.slice(0, headEnd).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  const bodyBytes = bytes.subarray(headEnd + 4);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (length !== undefined && bodyBytes.length < length && !ended) return 'incomplete';
  if (length === undefined && headers['transfer-encoding'] === undefined && !ended) return 'incomplete';
  const body = (length === undefined ? bodyBytes : bodyBytes.subarray(0, length)).toString('utf8');
  return { status, headers, body };
}
