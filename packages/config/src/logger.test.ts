import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeLogger, createLogger, flushLogger } from './logger.js';
import { tempDir } from './test-support/temp-files.js';

const TOKEN = 'MTIz.secret-bot-token.XYZ';

function logLines(dir: string): Record<string, unknown>[] {
  const files = readdirSync(dir).filter((name) => name.startsWith('app') && name.endsWith('.log'));
  expect(files.length).toBeGreaterThan(0);
  return files
    .flatMap((name) => readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const logging = (dir: string, level: 'info' | 'debug' = 'info') => ({
  level,
  file: path.join(dir, 'app.log'),
  max_size_mb: 1,
  backup_count: 2,
});

describe('createLogger', () => {
  it('writes JSON lines to the rotating file, with the token and Authorization header redacted', async () => {
    const dir = tempDir();
    const logger = createLogger({ config: logging(dir), name: 'bot', stdout: false });
    logger.info({ token: TOKEN, config: { discord: { token: TOKEN } } }, 'starting');
    logger.info({ req: { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } } }, 'request');
    logger.info({ apiKey: TOKEN, headers: { authorization: TOKEN } }, 'client');
    await flushLogger(logger);

    const raw = readdirSync(dir)
      .map((name) => readFileSync(path.join(dir, name), 'utf8'))
      .join('');
    expect(raw).not.toContain(TOKEN);
    const lines = logLines(dir);
    expect(lines.map((line) => line.msg)).toEqual(['starting', 'request', 'client']);
    expect(lines[0]).toMatchObject({
      name: 'bot',
      token: '[redacted]',
      config: { discord: { token: '[redacted]' } },
    });
    expect(lines[1]).toMatchObject({ req: { method: 'POST', headers: { authorization: '[redacted]' } } });
    await closeLogger(logger);
  });

  it('marks every line mock: true in mock mode, and drops lines below the configured level', async () => {
    const dir = tempDir();
    const logger = createLogger({ config: logging(dir), name: 'api', stdout: false, mock: true });
    logger.debug('hidden');
    logger.warn({ plan: 'd' }, 'shown');
    await closeLogger(logger);
    const lines = logLines(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'api', mock: true, msg: 'shown', level: 40 });
  });

  it('flushes lines logged through a child logger', async () => {
    const dir = tempDir();
    const logger = createLogger({ config: logging(dir), name: 'bot', stdout: false });
    const child = logger.child({ component: 'gateway' });
    child.info({ headers: { authorization: TOKEN } }, 'connected');
    await flushLogger(child);
    expect(logLines(dir)).toEqual([
      expect.objectContaining({
        name: 'bot',
        component: 'gateway',
        headers: { authorization: '[redacted]' },
        msg: 'connected',
      }),
    ]);
    await closeLogger(logger);
  });

  it('writes the old LOG_FILE name as its first numbered file, as docs/MIGRATING.md tells migrating users', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'coach_bot.log');
    const logger = createLogger({ config: { ...logging(dir), file }, name: 'api', stdout: false });
    logger.warn('after the migration');
    await closeLogger(logger);
    expect(readdirSync(dir)).toEqual(['coach_bot.1.log']);
    expect(readFileSync(path.join(dir, 'coach_bot.1.log'), 'utf8')).toContain('"msg":"after the migration"');
  });

  it('writes no file when logging.file is ""', async () => {
    const dir = tempDir();
    const logger = createLogger({ config: { ...logging(dir), file: '' }, name: 'cli', stdout: false });
    logger.info('nowhere');
    await closeLogger(logger);
    expect(readdirSync(dir)).toEqual([]);
  });
});
