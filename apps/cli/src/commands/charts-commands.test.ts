import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_COACHES, PlanService } from '@coachwire/core';
import { FsChartStore, openSqliteStore } from '@coachwire/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';

describe('coachwire charts', () => {
  let sandbox: CliSandbox;
  let chartsDir: string;
  beforeEach(() => {
    sandbox = cliSandbox();
    // The default charts.dir, resolved against the sandbox's working directory.
    chartsDir = join(sandbox.dir, 'data', 'charts');
  });
  afterEach(() => sandbox.remove());

  async function archiveOne(bytes: Buffer) {
    const database = await openSqliteStore({ path: sandbox.databasePath });
    const service = new PlanService({
      repository: database.plans,
      coaches: DEFAULT_COACHES,
      timezone: 'UTC',
    });
    const { plan } = await service.post(
      { id: '1', name: 'alice' },
      { coach: 'd', text: 'x', charts: [{ url: 'https://cdn.discordapp.com/a.png', filename: 'a.png' }] },
    );
    const store = new FsChartStore(chartsDir);
    const { sha256 } = await store.put(bytes);
    await database.charts.recordArchived(plan.charts[0]!.id, {
      sha256,
      size: bytes.length,
      contentType: 'image/png',
      width: null,
      height: null,
      archivedAt: new Date().toISOString(),
    });
    await database.close();
    return { store, sha256 };
  }

  it('gc keeps files that live plans reference and removes the others after the grace period', async () => {
    const { store, sha256 } = await archiveOne(Buffer.from('referenced chart'));
    const orphan = await store.put(Buffer.from('orphan chart'));

    const young = await sandbox.run('charts', 'gc');
    expect(young.status).toBe(0);
    expect(young.stdout).toContain('Removed 0 of 2 chart file(s)');
    expect(young.stdout).toContain('kept 1 referenced and 1 younger than 24 h');

    const dry = await sandbox.run('charts', 'gc', '--grace-hours', '0', '--dry-run');
    expect(dry.stdout).toContain(`Would remove 1 of 2`);
    expect(dry.stdout).toContain(orphan.sha256);
    expect(await store.stat(orphan.sha256)).not.toBeNull();

    const gc = await sandbox.run('charts', 'gc', '--grace-hours', '0');
    expect(gc.stdout).toContain('Removed 1 of 2');
    expect(await store.stat(orphan.sha256)).toBeNull();
    expect(await store.stat(sha256)).not.toBeNull();

    const bad = await sandbox.run('charts', 'gc', '--grace-hours', 'soon');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Fix: e.g. --grace-hours 24');
  });

  it('gc refuses an empty or non-decimal --grace-hours instead of reading it as 0 and removing young files', async () => {
    await archiveOne(Buffer.from('referenced chart'));
    const store = new FsChartStore(chartsDir);
    const orphan = await store.put(Buffer.from('orphan written a minute ago'));
    // `--grace-hours "$HOURS"` with HOURS unset: Number('') is 0, which removed the orphan at once.
    for (const value of ['', ' ', '0x10', '-0']) {
      const result = await sandbox.run('charts', 'gc', '--grace-hours', value);
      expect(result.status, `--grace-hours '${value}'`).toBe(2);
      expect(result.stderr).toContain('Fix: e.g. --grace-hours 24');
      expect(await store.stat(orphan.sha256)).not.toBeNull();
    }
    const fractional = await sandbox.run('charts', 'gc', '--grace-hours', '0.5');
    expect(fractional.status).toBe(0);
    expect(fractional.stdout).toContain('younger than 0.5 h');
    // A negative exponent is a small number of hours, not a negative one.
    const tiny = await sandbox.run('charts', 'gc', '--grace-hours', '1e-5', '--dry-run');
    expect(tiny.status, tiny.stderr).toBe(0);
    expect(tiny.stdout).toContain('younger than 0.00001 h');
  });

  it('verify re-hashes files and reports corruption with a non-zero exit', async () => {
    const { store, sha256 } = await archiveOne(Buffer.from('chart bytes'));
    const ok = await sandbox.run('charts', 'verify');
    expect(ok).toMatchObject({ status: 0 });
    expect(ok.stdout).toContain('All 1 chart file(s)');

    writeFileSync(store.pathOf(sha256), 'bit rot');
    const corrupt = await sandbox.run('charts', 'verify');
    expect(corrupt.status).toBe(1);
    expect(corrupt.stdout).toContain(`corrupt: ${sha256}`);
    expect(corrupt.stderr).toContain('Fix: restore charts.dir from a backup');
  });

  it('refuses a charts.dir that is a file, instead of reporting every chart missing or none there', async () => {
    const { sha256 } = await archiveOne(Buffer.from('chart bytes'));
    const notADirectory = join(sandbox.dir, 'charts.txt');
    writeFileSync(notADirectory, 'not the charts');
    for (const command of [
      ['charts', 'verify'],
      ['charts', 'gc', '--dry-run'],
    ]) {
      const result = await cliSandbox({ DATABASE_PATH: sandbox.databasePath, CHARTS_DIR: notADirectory }).run(
        ...command,
      );
      expect(result.status, command.join(' ')).toBe(1);
      expect(result.stderr).toContain(`charts.dir ${notADirectory} is not a directory.`);
      expect(result.stderr).toContain('Fix: point charts.dir (env CHARTS_DIR) at the directory');
      expect(result.stdout).not.toContain(sha256);
    }
  });
});
