/** Decodes a URL component; false when it holds a `%` that starts no valid escape. */
function decodes(component: string): boolean {
  try {
    decodeURIComponent(component);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a parsed connection URL was written with a user name or password that needed percent-encoding.
 * A `/`, `?` or `#` in the password ends the user info there, so what follows it reads as the host and the
 * database (`postgres://u:p@ss/w@db/x` names host "ss"): an `@` after the host (in the path, or in the query
 * before any `name=`) or a `#` fragment (which connection URLs never use) gives that away, as does a `%` that
 * starts no escape. Such a URL names the wrong server, and its host and path may be pieces of the password.
 */
export function misreadsUserInfo(url: URL): boolean {
  return (
    url.hash !== '' ||
    url.pathname.includes('@') ||
    /^\?[^=&]*@/.test(url.search) ||
    !decodes(url.username) ||
    !decodes(url.password) ||
    !decodes(url.pathname)
  );
}

/**
 * A connection URL that is safe to print: the password (and only the password) becomes `***`, so the user,
 * host, port and database still say which server was meant. Text that is not a URL is hidden whole, since
 * there is no telling which part of it is the secret.
 */
export function redactUrlPassword(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text === '' ? '' : '***';
  }
  // `user:pass@host` parses as a URL with the scheme "user:"; without a host it is not a server address. A
  // password that needed encoding may be spread over the host and the path: nothing of it can be shown.
  if (url.host === '' || misreadsUserInfo(url)) return '***';
  if (url.password !== '') url.password = '***';
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, '***');
  }
  return url.toString();
}

/** "host:port/database" of a connection URL, for errors that must name the server but not the credentials. */
export function describeServer(text: string): string {
  try {
    const url = new URL(text);
    if (misreadsUserInfo(url)) return 'the configured server';
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    return `${url.hostname}:${url.port || '5432'}${database ? `/${database}` : ''}`;
  } catch {
    return 'the configured server';
  }
}

// Query parameters libpq and node-postgres read a password from.
const PASSWORD_PARAMETERS = ['password', 'sslpassword'];

/** The password of a connection URL, from its user info or a `password` query parameter; '' when none. */
export function urlPassword(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') return decodeURIComponent(url.password);
    return url.searchParams.get('password') ?? '';
  } catch {
    return '';
  }
}

/** The URL with every password removed (user info and query), for handing to a tool whose argv is public. */
export function withoutPassword(text: string): string {
  const url = new URL(text);
  url.password = '';
  for (const key of PASSWORD_PARAMETERS) url.searchParams.delete(key);
  return url.toString();
}
