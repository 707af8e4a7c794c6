import { describe, expect, it } from 'vitest';
import { describeServer, redactUrlPassword } from './redact-url.js';

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
