import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig, withDotEnv } from './load-config.js';
import { tempDir } from './test-support/temp-files.js';

/** The ConfigError that reading `text` as a directory's .env throws (fails the test when none is thrown). */
function refusalOf(text: string): ConfigError {
  const dir = tempDir();
  writeFileSync(path.join(dir, '.env'), text);
  try {
    withDotEnv(dir, {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected withDotEnv to refuse the file');
}

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
    // Saved by a Windows editor with a byte-order mark: the first variable keeps its name.
    const marked = tempDir();
    writeFileSync(path.join(marked, '.env'), '\uFEFFAPI_PORT=5056\nLOG_LEVEL=warn\n');
    expect(withDotEnv(marked, {})).toEqual({ API_PORT: '5056', LOG_LEVEL: 'warn' });
  });

  it('refuses a value that opens a quote it never closes, naming the key and the line, and accepts multi-line values', () => {
    const text =
      'API_PORT=5055\nDATABASE_PATH="./data/unterminated.db\nLOG_FILE=\'./logs/x.log\nCOMMAND_PREFIX=!\n';
    const { message } = refusalOf(text);
    expect(message).toContain(
      'DATABASE_PATH (from file .env line 2): expected a value that closes the " it opens',
    );
    expect(message).toContain('LOG_FILE (from file .env line 3)');
    // Through loadConfig, as every process reads it: the same refusal, not a directory named '"'.
    const dir = tempDir();
    writeFileSync(path.join(dir, '.env'), text);
    expect(() => loadConfig({ argv: [], cwd: dir, processEnv: {} })).toThrow(ConfigError);

    // The quote of a later line does not close it: the value would swallow that line's variable.
    const swallowing = tempDir();
    writeFileSync(path.join(swallowing, '.env'), 'DATABASE_PATH="./x.db\nCOMMAND_PREFIX="!"\n');
    expect(() => withDotEnv(swallowing, {})).toThrow(/DATABASE_PATH \(from file \.env line 1\)/);

    const multiLine = tempDir();
    writeFileSync(path.join(multiLine, '.env'), 'NOTE="first line\nsecond line"\nAPI_PORT=5056\n');
    expect(withDotEnv(multiLine, {})).toMatchObject({ NOTE: 'first line\nsecond line', API_PORT: '5056' });
  });

  it('refuses a line that is not KEY=value, naming only its first word, instead of hiding the next variable', () => {
    // parseEnv alone would join lines 2-4 into one odd variable name, the secret with it.
    const { message } = refusalOf(
      'API_PORT=5055\nDISCORD_BOT_TOKEN s3cr3t-value\nAPI_HOST: 0.0.0.0\n = 1\nLOG_LEVEL=debug\n',
    );
    expect(message).toContain('DISCORD_BOT_TOKEN (from file .env line 2): expected KEY=value, a # comment');
    expect(message).toContain('API_HOST (from file .env line 3)');
    expect(message).toContain('(no name) (from file .env line 4)');
    expect(message).not.toContain('s3cr3t');
    // A token pasted on a line of its own is not named either.
    const pasted = refusalOf('API_PORT=5055\nMTA5ODc2NTQzMjEwOTg3NjU0MzI.GxYz12.abcDEF_ghi-JKL\n').message;
    expect(pasted).toContain('(no name) (from file .env line 2)');
    expect(pasted).not.toContain('MTA5');
    expect(message).not.toContain('line 1)');
    expect(message).not.toContain('line 5)');

    // parseEnv alone takes an indented comment after the first line into the next variable's name.
    // Comments, blank lines, `export`, spaces around = and the lines inside a multi-line value are fine.
    const fine = tempDir();
    writeFileSync(
      path.join(fine, '.env'),
      '# settings\nCOMMAND_PREFIX=?\n\n  # indented comment\nexport API_PORT=5057\nLOG_LEVEL = warn\nNOTE="a\nplain words\nend"\n',
    );
    expect(withDotEnv(fine, {})).toMatchObject({
      COMMAND_PREFIX: '?',
      API_PORT: '5057',
      LOG_LEVEL: 'warn',
      NOTE: 'a\nplain words\nend',
    });
  });
  it('keeps a # inside an unquoted value, as python-dotenv did: only a # after a space starts a comment', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, '.env'),
      "COMMAND_PREFIX=#\nLOG_FILE=./logs/bot#1.log   # rotated by us\nNOTE=it's#1\nAPI_PORT=5055 # the old port\n",
    );
    expect(withDotEnv(dir, {})).toMatchObject({
      COMMAND_PREFIX: '#',
      LOG_FILE: './logs/bot#1.log',
      NOTE: "it's#1",
      API_PORT: '5055',
    });
    const config = loadConfig({ argv: [], cwd: dir, processEnv: {} });
    expect(config.discord.prefix).toBe('#');
  });
});
