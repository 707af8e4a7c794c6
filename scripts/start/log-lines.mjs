// How `pnpm start` shows the apps' output: pino JSON lines become `12:00:01 INFO  message key=value`.

const LEVELS = {
  10: ['TRACE', '90'],
  20: ['DEBUG', '90'],
  30: ['INFO ', '32'],
  40: ['WARN ', '33'],
  50: ['ERROR', '31'],
  60: ['FATAL', '31'],
};
const QUIET_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'mock']);

/** A pino JSON line as `12:00:01 INFO  message key=value`; anything else unchanged. */
export function formatLine(line, paint) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry)) return line;
  const [label, tint] = LEVELS[entry.level] ?? ['LOG  ', '0'];
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const details = Object.entries(entry)
    .filter(([key]) => !QUIET_KEYS.has(key))
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}=${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
    })
    .join(' ');
  return `${time} ${paint(tint, label)} ${entry.msg}${details ? ` ${paint('2', details)}` : ''}`;
}
