import { describe, expect, it } from 'vitest';
import { describeServer, redactUrlPassword, urlPassword, withoutPassword } from './redact-url.js';

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
