/** Listen addresses that mean every interface: a client on this machine reaches them through loopback. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * The URL a client on this machine uses for a server listening on `host:port`, e.g. to print or to poll:
 * a wildcard host (the default `api.host`, 0.0.0.0) becomes 127.0.0.1, which browsers accept (some refuse
 * 0.0.0.0), and an IPv6 address gets its brackets.
 */
export function localApiUrl(host: string, port: number, path = ''): string {
  const reachable = WILDCARD_HOSTS.has(host) ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}${path}`;
}
