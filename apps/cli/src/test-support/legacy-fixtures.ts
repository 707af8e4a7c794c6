import { writeFileSync } from 'node:fs';
import { openDatabase } from '@coachwire/storage';

/** The old Python system's schema, as its database file has it. */
const LEGACY_SCHEMA = `
  CREATE TABLE coach_plans (id INTEGER PRIMARY KEY AUTOINCREMENT, coach_name TEXT NOT NULL, date TEXT NOT NULL,
    plan TEXT, author TEXT, channel TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, edited_at TIMESTAMP,
    is_deleted INTEGER DEFAULT 0, UNIQUE(coach_name, date));
  CREATE TABLE plan_charts (id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id INTEGER, chart_url TEXT, filename TEXT,
    added_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
  CREATE TABLE plan_history (id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id INTEGER, plan_text TEXT, edited_by TEXT,
    edited_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
  CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
  INSERT INTO schema_version (version) VALUES (1), (2);`;

/** Emoji with skin tones and ZWJ sequences, CJK, right-to-left Arabic, combining accents, tabs and newlines. */
export const UNICODE_PLAN =
  'Swing 📈 watchlist — 日本株: トヨタ 7203\nالخطة: شراء فوق 150\n👨‍👩‍👧‍👦 👍🏽 e\u0301 ñ Ω ≥ 4 500\t• NVDA ⬆︎ 🚀\n\n  trailing spaces  ';

export const CDN = 'https://cdn.discordapp.com/attachments/111/222';

/** Writes the old SQLite file (rollback journal, as Python leaves it): an edited plan with history and charts, a soft-deleted one, a unicode-heavy one. */
export function writeLegacySqlite(
  path: string,
  options: { malformed?: boolean /** Run last, e.g. to damage rows. */; extraSql?: string } = {},
): void {
  const handle = openDatabase({ path });
  try {
    handle.sqlite.exec(LEGACY_SCHEMA);
    const plan = handle.sqlite.prepare(
      'INSERT INTO coach_plans (id, coach_name, date, plan, author, channel, created_at, edited_at, is_deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const chart = handle.sqlite.prepare(
      'INSERT INTO plan_charts (plan_id, chart_url, filename, added_at) VALUES (?, ?, ?, ?)',
    );
    const history = handle.sqlite.prepare(
      'INSERT INTO plan_history (plan_id, plan_text, edited_by, edited_at) VALUES (?, ?, ?, ?)',
    );
    plan.run(
      1,
      'coach_d',
      '2024-01-15',
      'SPY above 472, target 476',
      'CoachDan',
      'coach-d-plans',
      '2024-01-15 13:30:00',
      '2024-01-15 15:10:00',
      0,
    );
    history.run(1, 'SPY above 470', 'CoachDan', '2024-01-15 14:00:00');
    history.run(1, 'SPY above 471, target 475', 'Moderator', '2024-01-15 15:10:00');
    chart.run(1, `${CDN}/spy-1.png`, 'spy-1.png', '2024-01-15 13:30:01');
    chart.run(1, `${CDN}/spy%202.png?ex=65a1`, null, '2024-01-15 13:30:02');
    plan.run(
      2,
      'coach_i',
      '2024-01-15',
      'QQQ fade into 410',
      'Ivy',
      'coach-i-plans',
      '2024-01-15 13:45:00',
      null,
      1,
    );
    chart.run(2, `${CDN}/qqq.png`, 'qqq.png', '2024-01-15 13:45:01');
    plan.run(
      3,
      'coach_s',
      '2024-01-16',
      UNICODE_PLAN,
      'Søren 🧠',
      'swing-ideas',
      '2024-01-16 09:00:00.123456',
      null,
      0,
    );
    plan.run(
      4,
      'COACH_N',
      '2024-01-16',
      'CPI at 8:30, flat into the print',
      'Nadia',
      null,
      '2024-01-16T12:00:00Z',
      null,
      0,
    );
    if (options.malformed) {
      plan.run(5, 'coach_x', '2024-01-16', 'who is x?', 'Xavier', 'x', '2024-01-16 10:00:00', null, 0);
      plan.run(
        6,
        'coach_d',
        '2024-02-30',
        'impossible day',
        'CoachDan',
        'coach-d-plans',
        '2024-02-28 10:00:00',
        null,
        0,
      );
      plan.run(7, 'coach_s', '2024-01-17', '', 'Søren 🧠', 'swing-ideas', 'yesterday', null, 0);
      chart.run(99, `${CDN}/orphan.png`, 'orphan.png', '2024-01-16 10:00:00');
    }
    if (options.extraSql) handle.sqlite.exec(options.extraSql);
    // Python's sqlite3 leaves its files in the default rollback-journal mode, not in WAL as openDatabase does.
    handle.sqlite.pragma('journal_mode = DELETE');
  } finally {
    handle.close();
  }
}

/** The first version's in-memory store dumped to JSON. */
export function writeLegacyJson(path: string, options: { malformed?: boolean } = {}): void {
  const dump: Record<string, unknown> = {
    'coach_d_2024-01-10': {
      plan: 'Day plan: SPY 468/470',
      charts: [`${CDN}/d1.png`, `${CDN}/d2.png`],
      author: 'CoachDan',
      timestamp: '2024-01-10T09:15:00.250000',
      channel: 'coach-d-plans',
    },
    'coach_s_2024-01-10': {
      plan: UNICODE_PLAN,
      charts: [],
      author: 'Søren 🧠',
      timestamp: '2024-01-10T10:00:00',
      channel: null,
    },
    'coach_n_2024-01-11': { plan: 'FOMC day, no trades before 2pm', author: 'Nadia', timestamp: 1704967200 },
  };
  if (options.malformed) {
    dump['coach_q_2024-01-11'] = { plan: 'unknown coach', author: 'Q', timestamp: '2024-01-11T10:00:00' };
    dump['coach_d_2024-13-01'] = { plan: 'bad month', author: 'CoachDan', timestamp: '2024-01-11T10:00:00' };
    dump['not-a-plan-key'] = { plan: 'x', author: 'y', timestamp: '2024-01-11T10:00:00' };
    dump['coach_i_2024-01-11'] = {
      plan: 'chart is not a url',
      charts: ['ftp://x/y.png'],
      author: 'Ivy',
      timestamp: '2024-01-11T10:00:00',
    };
  }
  writeFileSync(path, JSON.stringify(dump, null, 2));
}
