import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CoachwireDatabase, openDatabase } from './database.js';
import { backupDatabase, integrityCheck, writeCompleteFile } from './maintenance.js';
import { SqlitePlanRepository } from './plans/sqlite-plan-repository.js';
import { chartInput, migratedTempDatabase, planDraft } from './test-support/temp-database.js';

let handle: CoachwireDatabase;
let dir: string;
let dispose: () => void;
beforeEach(async () => {
  ({ handle, dir, dispose } = await migratedTempDatabase());
});
afterEach(() => dispose());

describe('a file written whole or not at all', () => {
  it('appears under its name only once it is complete', async () => {
    const destination = join(dir, 'backup.bin');
    let whileWriting: boolean | undefined;
    await writeCompleteFile(destination, async (partialPath) => {
      writeFileSync(partialPath, 'every page');
      whileWriting = existsSync(destination);
    });
    expect(whileWriting).toBe(false);
    expect(readFileSync(destination, 'utf8')).toBe('every page');
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('leaves nothing behind when the copy fails, under its name or beside it', async () => {
    const before = readdirSync(dir).sort();
    const destination = join(dir, 'backup.sqlite');
    await expect(
      writeCompleteFile(destination, async (partialPath) => {
        writeFileSync(partialPath, 'half the pages');
        writeFileSync(`${partialPath}-journal`, 'journal');
        throw new Error('No space left on device');
      }),
    ).rejects.toThrow('No space left on device');
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('SQLite maintenance', () => {
  it('backs up to a copy that opens and holds the same plans', async () => {
    const repository = new SqlitePlanRepository(handle);
    const plan = await repository.insert(planDraft({ charts: [chartInput('a.png')] }));
    const destination = join(dir, 'backups', 'copy.sqlite');
    const result = await backupDatabase(handle, destination);
    expect(result.pages).toBeGreaterThan(0);

    const copy = openDatabase({ path: destination, readonly: true });
    expect(await new SqlitePlanRepository(copy).getById(plan.id)).toEqual(plan);
    expect(integrityCheck(copy)).toEqual({
      ok: true,
      messages: [],
      counts: { plans: 1, charts: 1, revisions: 0, events: 1 },
    });
    copy.close();
  });

  it('writes the copy as one file in rollback-journal mode, so reading it leaves no -wal or -shm', async () => {
    const repository = new SqlitePlanRepository(handle);
    await repository.insert(planDraft());
    // Committed to the source's WAL but not yet checkpointed: the copy must hold it all the same.
    expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    const destination = join(dir, 'single', 'copy.sqlite');
    await backupDatabase(handle, destination);
    expect(readdirSync(join(dir, 'single'))).toEqual(['copy.sqlite']);

    const copy = openDatabase({ path: destination, readonly: true });
    expect(copy.sqlite.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(integrityCheck(copy).counts.plans).toBe(1);
    copy.close();
    expect(readdirSync(join(dir, 'single'))).toEqual(['copy.sqlite']);
  });

  it('finishes a backup while another process writes without pause', async () => {
    const repository = new SqlitePlanRepository(handle);
    const plan = await repository.insert(planDraft({ text: 'x'.repeat(3000) }));
    const filler = handle.sqlite.prepare(
      `INSERT INTO plan_revisions (plan_id, previous_text, editor_name, edited_at) VALUES (?, ?, 'f', '2026-01-01')`,
    );
    handle.sqlite.transaction(() => {
      for (let index = 0; index < 1500; index += 1) filler.run(plan.id, 'y'.repeat(2000));
    })();
    const writer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@coachwire/source',
        fileURLToPath(new URL('./test-support/busy-writer.ts', import.meta.url)),
        handle.path,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = once(writer, 'exit');
    const [firstLine] = (await once(writer.stdout!, 'data')) as [Buffer];
    expect(firstLine.toString()).toContain('writing');
    const destination = join(dir, 'busy-copy.sqlite');
    const result = await backupDatabase(handle, destination);
    writer.stdin!.end();
    expect((await exited)[0]).toBe(0);
    expect(result.pages).toBeGreaterThan(500);
    const copy = openDatabase({ path: destination, readonly: true });
    expect(integrityCheck(copy).ok).toBe(true);
    expect(integrityCheck(copy).counts.revisions).toBeGreaterThanOrEqual(1500);
    copy.close();
  });

  it('reports orphaned rows found by the foreign key check', () => {
    handle.sqlite.pragma('foreign_keys = OFF');
    handle.sqlite
      .prepare('INSERT INTO charts (plan_id, position, url, filename) VALUES (999, 0, ?, ?)')
      .run('https://example.invalid/a.png', 'a.png');
    const report = integrityCheck(handle);
    expect(report.ok).toBe(false);
    expect(report.messages).toEqual(['charts row 1 refers to a missing plans row']);
    expect(report.counts.charts).toBe(1);
  });
});
