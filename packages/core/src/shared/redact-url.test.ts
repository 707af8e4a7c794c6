import { describe, expect, it } from 'vitest';
import {
  describeServer,
  misreadsUserInfo,
  redactUrlPassword,
  urlPassword,
  withoutPassword,
} from './redact-url.js';

describe('redactUrlPassword', () => {
  it('hides the password and keeps the user, host, port and database', () => {
    expect(redactUrlPassword('postgres://coach:s3cr3t-pw@db.internal:6543/coachwire')).toBe(
      'postgres://coach:***@db.internal:6543/coachwire',
    );
  });

  it('hides a password given as a query parameter', () => {
    const printed = redactUrlPassword('postgresql://db/cw?user=coach&password=s3cr3t-pw&sslmode=require');
    expect(printed).not.toContain('s3cr3t-pw');
    expect(printed).toContain('sslmode=require');
  });

  it('leaves a URL without credentials alone and hides text that is not a URL', () => {
    expect(redactUrlPassword('postgres://db.internal/coachwire')).toBe('postgres://db.internal/coachwire');
    expect(redactUrlPassword('coach:s3cr3t-pw@db')).toBe('***');
    expect(redactUrlPassword('')).toBe('');
  });
});

// Passwords written into the URL unencoded: WHATWG parsing ends the user info at the first / ? or #, so the
// "host" and "database" are pieces of the password (here host "ss", path "/w", fragment "rd@db.internal…").
const MISREAD_URLS = [
  ['a / and a #', 'postgres://coach:p@ss/w#rd@db.internal:5432/coachwire', ['ss', 'w#rd', 'rd@']],
  ['a ?', 'postgres://coach:p@ss?w@db.internal:5432/coachwire', ['ss?w', 'ss']],
  ['a /', 'postgres://coach:p@ss/wd@db.internal:5432/coachwire', ['ss/wd', 'wd@']],
  ['a stray %', 'postgres://coach:p%zz@db.internal:5432/coachwire', ['p%zz']],
] as const;

describe('a password that needed percent-encoding', () => {
  it.each(MISREAD_URLS)('holding %s is hidden whole when printed', (_, url, pieces) => {
    expect(misreadsUserInfo(new URL(url))).toBe(true);
    expect(redactUrlPassword(url)).toBe('***');
    expect(describeServer(url)).toBe('the configured server');
    for (const piece of pieces) {
      expect(redactUrlPassword(url)).not.toContain(piece);
      expect(describeServer(url)).not.toContain(piece);
    }
  });

  it('is read as written once percent-encoded', () => {
    const url = `postgres://coach:${encodeURIComponent('p@ss/w#rd?%')}@db.internal:5432/coachwire`;
    expect(misreadsUserInfo(new URL(url))).toBe(false);
    expect(redactUrlPassword(url)).toBe('postgres://coach:***@db.internal:5432/coachwire');
    expect(urlPassword(url)).toBe('p@ss/w#rd?%');
    expect(describeServer(url)).toBe('db.internal:5432/coachwire');
  });

  it('is not suspected in an ordinary URL with query parameters', () => {
    const url = 'postgres://coach:s3cr3t@db.internal/coachwire?sslmode=require&application_name=a@b';
    expect(misreadsUserInfo(new URL(url))).toBe(false);
  });
});

describe('describeServer', () => {
  it('names host, port and database without credentials', () => {
    expect(describeServer('postgres://coach:s3cr3t-pw@db.internal/coachwire')).toBe(
      'db.internal:5432/coachwire',
    );
  });
});

describe('urlPassword and withoutPassword', () => {
  it('find the password in the user info or the query, and strip both', () => {
    expect(urlPassword('postgres://coach:s3cr3t-pw@db/cw')).toBe('s3cr3t-pw');
    expect(urlPassword('postgres://coach@db/cw?password=s3cr3t-pw&sslmode=require')).toBe('s3cr3t-pw');
    expect(urlPassword('postgres://coach@db/cw')).toBe('');
    const stripped = withoutPassword(
      'postgres://coach:a@db/cw?password=s3cr3t-pw&sslpassword=k&sslmode=require',
    );
    expect(stripped).toBe('postgres://coach@db/cw?sslmode=require');
  });
});
