// Run as its own OS process by maintenance.test.ts: writes small transactions to the shared file without pause
// until stdin closes, printing "writing" once the first write committed.
import { openDatabase } from '../database.js';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: busy-writer <path>');
const handle = openDatabase({ path });
const insert = handle.sqlite.prepare(
  `INSERT INTO plan_revisions (plan_id, previous_text, editor_name, edited_at) VALUES (1, ?, 'writer', '2026-01-01')`,
);
let running = true;
process.stdin.on('end', () => {
  running = false;
});
process.stdin.resume();
let announced = false;
const writeSome = () => {
  for (let index = 0; index < 5000 && running; index += 1) insert.run('x'.repeat(200));
  if (!announced) {
    announced = true;
    process.stdout.write('writing\n');
  }
  if (running) setImmediate(writeSome);
  else {
    handle.close();
    process.exit(0);
  }
};
writeSome();
