import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDotEnv } from './load-config.js';
import { tempDir } from './test-support/temp-files.js';

describe('.env files', () => {
  it('reads the old .env variables from the working directory, with the real environment winning', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, '.env'),
      'API_PORT=5055\nLOG_LEVEL=debug\n# comment\nDATABASE_PATH="./x.db"\n',
    );
    const env = withDotEnv(dir, { LOG_LEVEL: 'warn' });
    expect(env).toMatchObject({ API_PORT: '5055', LOG_LEVEL: 'warn', DATABASE_PATH: './x.db' });
    expect(withDotEnv(tempDir(), { A: '1' })).toEqual({ A: '1' });
  });
});
