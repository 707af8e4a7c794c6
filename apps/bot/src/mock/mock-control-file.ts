import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CoachwireConfig, type MockControlFile, mockControlFilePath } from '@coachwire/config';
import type { MockDiscord } from './mock-discord.js';

/**
 * Writes the running mock's control file (see MockControlFile) and returns what removes it again. Written to a
 * temporary name and renamed, so a reader never sees half of it.
 */
export function writeMockControlFile(config: CoachwireConfig, mock: MockDiscord): { remove(): void } {
  const file = mockControlFilePath(config);
  const contents: MockControlFile = {
    control_url: mock.emu.controlUrl,
    channel_id: mock.channel.id,
    member_id: mock.you.id,
    pid: process.pid,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(contents, null, 2)}\n`);
  renameSync(temporary, file);
  return {
    // Only while it is still ours: a second mock on the same database may have written its own since.
    remove: () => {
      try {
        const current = JSON.parse(readFileSync(file, 'utf8')) as Partial<MockControlFile>;
        if (current.control_url === contents.control_url) rmSync(file, { force: true });
      } catch {
        // Already gone or unreadable: nothing of ours to remove.
      }
    },
  };
}
