import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '../test-support/pg-test-database.js';
import { openPostgres, type PgHandle, redactUrl } from './pg-database.js';
import { openPostgresStore } from './pg-store.js';

let database: TestPgDatabase;
beforeEach(async () => {
  database = await createTestPgDatabase();
});
afterEach(() => database.drop());

function withPassword(url: string, password: string): string {
  const changed = new URL(url);
  changed.password = password;
  return changed.toString();
}

/** The error opening fails with; a handle that opened after all is closed and fails the test. */
async function failureOf(attempt: Promise<PgHandle>): Promise<Error & { code?: string }> {
  try {
    const handle = await attempt;
    await handle.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('openPostgres succeeded where it should have failed');
}

/** A loopback port nothing listens on: bound once to get a free number, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('openPostgres', () => {
  it('reads bigint columns as numbers and prints its URL without the password', async () => {
    const handle = await openPostgres({ url: database.url, poolSize: 2 });
    try {
      const { rows } = await handle.pool.query(
        'SELECT 9007199254740991::bigint AS big, sum(x)::numeric AS s FROM (VALUES (1::bigint), (2)) v(x)',
      );
      expect(rows[0]).toEqual({ big: 9007199254740991, s: 3 });
      await expect(handle.pool.query('SELECT 9007199254740993::bigint AS n')).rejects.toThrow(
        /MAX_SAFE_INTEGER/,
      );
      const password = new URL(database.url).password;
      expect(password).not.toBe('');
      expect(handle.location).not.toContain(password);
      expect(handle.location).toBe(redactUrl(database.url));
      expect(handle.location).toContain(':***@');
    } finally {
      await handle.close();
    }
  });

  it('reports a wrong password as STORAGE_UNAVAILABLE naming the server, never the password', async () => {
    const url = new URL(database.url);
    const wrong = 'not-the-Secret-42';
    const error = await failureOf(openPostgres({ url: withPassword(database.url, wrong), poolSize: 1 }));
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(error.message).toContain(`${url.hostname}:${url.port}${url.pathname}`);
    expect(error.message).toMatch(/password authentication failed/);
    expect(error.message).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  it('says a password is missing and leaves no connection open when the URL has none and the server asks', async () => {
    // pg refuses this on the client side, mid-handshake: the socket stayed open until the server's
    // authentication_timeout (a minute), so a CLI printed its error and then hung.
    const previous = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPWrap').length;
    const before = sockets();
    try {
      const error = await failureOf(openPostgres({ url: withPassword(database.url, ''), poolSize: 1 }));
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(error.message).toContain('the server asks for a password and none was given');
      expect(sockets()).toBe(before);
    } finally {
      if (previous !== undefined) process.env.PGPASSWORD = previous;
    }
  });

  it('accepts the password as a ?password= parameter and never shows it, right or wrong', async () => {
    const password = new URL(database.url).password;
    const inQuery = new URL(database.url);
    inQuery.password = '';
    inQuery.searchParams.set('password', password);
    const handle = await openPostgres({ url: inQuery.toString(), poolSize: 1 });
    try {
      expect(handle.location).not.toContain(password);
      expect((await handle.pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    } finally {
      await handle.close();
    }
    inQuery.searchParams.set('password', 'Wr0ng-but-s3cret');
    const failure = await failureOf(openPostgres({ url: inQuery.toString(), poolSize: 1 }));
    expect(failure.code).toBe('STORAGE_UNAVAILABLE');
    expect(failure.message).not.toContain('Wr0ng-but-s3cret');
    expect(redactUrl(inQuery.toString())).not.toContain('Wr0ng-but-s3cret');
  });

  it('reports a closed port as STORAGE_UNAVAILABLE naming host and port', async () => {
    const port = await closedPort();
    const url = new URL(database.url);
    url.port = String(port);
    const error = await failureOf(openPostgres({ url: url.toString(), poolSize: 1 }));
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(error.message).toContain(`127.0.0.1:${port}/`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(new URL(database.url).password);
  });

  it('gives up on a server that accepts but never answers, after the connect timeout', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const error = await failureOf(
        openPostgres({
          url: `postgres://coachwire:pw@127.0.0.1:${port}/coachwire`,
          poolSize: 1,
          connectTimeoutMs: 200,
        }),
      );
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(error.message).toContain(`127.0.0.1:${port}/coachwire`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it.each([
    ['not a url at all', /not a valid URL/],
    ['mysql://u:secretpw@host/db', /must start with postgres:\/\//],
    ['postgres://u:secretpw@host', /must name a host and a database/],
  ])('refuses the URL %s with a clear VALIDATION error', async (url, message) => {
    const error = await failureOf(openPostgres({ url, poolSize: 1 }));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'database.url' });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('secretpw');
  });

  // Passwords as `openssl rand -base64` or a password manager make them, written into the URL unencoded.
  it.each([
    ['a / (the user info ends there)', 'postgres://u:Xq9/Zr7@127.0.0.1:5432/coachwire', ['Xq9', 'Zr7']],
    ['a #', 'postgres://u:Xq9#Zr7@127.0.0.1:5432/coachwire', ['Xq9', 'Zr7']],
    ['a ?', 'postgres://u:Xq9?Zr7@127.0.0.1:5432/coachwire', ['Xq9', 'Zr7']],
    ['a %', 'postgres://u:Xq9%Zr7@127.0.0.1:5432/coachwire', ['Xq9', 'Zr7']],
    // Parse, but as host "localhost" (a loopback name, so no lookup leaves the machine even unrefused) and
    // database "w": connecting would name pieces of the password.
    [
      'an @ and a / and a #',
      'postgres://u:Xq9@localhost/Zr7#w@127.0.0.1:5432/coachwire',
      ['Xq9', 'localhost', 'Zr7'],
    ],
    ['an @ and a ?', 'postgres://u:Xq9@localhost?Zr7@127.0.0.1:5432/coachwire', ['Xq9', 'localhost', 'Zr7']],
  ])(
    'refuses a password holding %s unencoded, saying to percent-encode it, before any connection',
    async (_, url, pieces) => {
      const error = await failureOf(openPostgres({ url, poolSize: 1, connectTimeoutMs: 200 }));
      expect(error).toMatchObject({ code: 'VALIDATION', field: 'database.url' });
      expect(error.message).toContain('must be percent-encoded in the URL (e.g. / as %2F, # as %23');
      for (const piece of pieces) expect(error.message).not.toContain(piece);
    },
  );

  it('connects with a password holding @ : / ? # % when it is percent-encoded, and never shows it', async () => {
    const password = 'p@ss:w/rd?x#y%z+1=';
    const role = `special_${process.pid}_${Date.now()}`;
    const admin = await openPostgres({ url: database.url, poolSize: 1 });
    try {
      await admin.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      const url = new URL(database.url);
      const encoded = `postgres://${role}:${encodeURIComponent(password)}@${url.host}${url.pathname}`;
      const handle = await openPostgres({ url: encoded, poolSize: 1 });
      try {
        expect((await handle.pool.query('SELECT current_user AS who')).rows[0]).toEqual({ who: role });
        expect(handle.location).not.toContain(encodeURIComponent(password));
        expect(handle.location).toContain(':***@');
      } finally {
        await handle.close();
      }
      const wrong = `postgres://${role}:${encodeURIComponent(`${password}-wrong`)}@${url.host}${url.pathname}`;
      const failure = await failureOf(openPostgres({ url: wrong, poolSize: 1 }));
      expect(failure.message).toMatch(/password authentication failed/);
      expect(failure.message).not.toContain(password);
    } finally {
      await admin.pool.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.close();
    }
  });
  it('says the URL asks for TLS the server does not offer, for every sslmode that asks for it', async () => {
    // pg treats require and prefer as verify-full: prefer does not fall back to plain TCP as libpq's does.
    for (const query of ['sslmode=require', 'sslmode=prefer', 'sslmode=verify-full', 'ssl=true']) {
      const error = await failureOf(openPostgres({ url: `${database.url}?${query}`, poolSize: 1 }));
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(error.message).toMatch(/the URL asks for TLS .* and the server does not offer it/);
      expect(error.message).toContain('sslmode=disable');
      expect(error.message).not.toContain(new URL(database.url).password);
    }
    const plain = await openPostgres({ url: `${database.url}?sslmode=disable`, poolSize: 1 });
    await plain.close();
  });

  it('survives the server ending a connection of its own, as a migration holds, between two statements', async () => {
    const handle = await openPostgres({ url: database.url, poolSize: 1 });
    const client = handle.newClient();
    try {
      await client.connect();
      const ended = new Promise((resolve) => client.once('end', resolve));
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await handle.pool.query('SELECT pg_terminate_backend($1, 10000)', [rows[0]!.pid]);
      await ended;
      await expect(client.query('SELECT 1')).rejects.toThrow();
      const after = await handle.pool.query<{ one: number }>('SELECT 1 AS one');
      expect(after.rows[0]!.one).toBe(1);
    } finally {
      await client.end().catch(() => undefined);
      await handle.close();
    }
  });

  it('survives the server ending a connection a transaction holds between statements', async () => {
    // A restart (pg_ctl restart -m fast), a failover or pg_terminate_backend sends a FATAL error to a client the
    // pool has lent out; pg emits it as an 'error' event, which killed the API and the bot when no one listened.
    const warnings: string[] = [];
    const logger = {
      info: () => undefined,
      warn: (_details: object, message: string) => warnings.push(message),
    };
    const handle = await openPostgres({ url: database.url, poolSize: 2, logger });
    try {
      const lent = new Promise<pg.PoolClient>((resolve) => handle.pool.once('acquire', resolve));
      const transaction = handle.db.transaction(async (tx) => {
        const client = await lent;
        const ended = new Promise((resolve) => client.once('end', resolve));
        const { rows } = await tx.execute<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
        // Waits (up to 10 s) until the backend is gone, so its FATAL message reaches an idle client.
        await handle.pool.query('SELECT pg_terminate_backend($1, 10000)', [rows[0]!.pid]);
        await ended;
        await tx.execute(sql`SELECT 1`);
      });
      await expect(transaction).rejects.toThrow();
      expect(warnings).toContain('PostgreSQL connection lost; the pool replaces it');
      const { rows } = await handle.pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]!.one).toBe(1);
    } finally {
      await handle.close();
    }
  });
});

describe('openPostgresStore', () => {
  it('logs which database it opened, without the password, as openDatabase does for SQLite', async () => {
    const lines: { details: object; message: string }[] = [];
    const logger = {
      info: (details: object, message: string) => lines.push({ details, message }),
      warn: (details: object, message: string) => lines.push({ details, message }),
    };
    const store = await openPostgresStore({ url: database.url, poolSize: 2, logger });
    try {
      const opened = lines.find((line) => line.message === 'database opened');
      expect(opened?.details).toEqual({ database: redactUrl(database.url), poolSize: 2 });
      expect(JSON.stringify(lines)).not.toContain(new URL(database.url).password);
    } finally {
      await store.close();
    }
  });
});
