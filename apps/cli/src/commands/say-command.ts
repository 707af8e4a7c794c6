import { readFileSync } from 'node:fs';
import { type MockControlFile, mockControlFilePath } from '@coachwire/config';
import type { Command } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import { CliError, type CliIo, EXIT_USAGE, timeoutOption } from '../cli-io.js';

const START_MOCK_FIX = 'start mock mode first: pnpm start without DISCORD_BOT_TOKEN.';
/** The emulator's own limit for waiting on a reply. */
const MAX_TIMEOUT_SECONDS = 60;
/** Past the reply's timeout, how long the emulator may take to answer at all before we give up on it. */
const ANSWER_GRACE_MS = 5_000;

interface BotReply {
  content: string;
  embeds: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
}

/** `coachwire say <text...>`: posts as the member `you` in the running mock's #trading-plans, prints the reply. */
export function registerSayCommand(program: Command, io: CliIo): void {
  program
    .command('say')
    .description(
      "Mock mode only: post a message as the member 'you' in #trading-plans and print the bot's reply, e.g. coachwire say '!balance'.",
    )
    .argument('<text...>', 'the message, e.g. !balance or !bet 3 yes 50 (quote it for the shell)')
    .option('--timeout <seconds>', `how long to wait for the reply (at most ${MAX_TIMEOUT_SECONDS})`, '10')
    .action(async (words: string[], options: { timeout: string }) => {
      const text = words.join(' ').trim();
      if (text === '')
        throw new CliError(
          'There is nothing to say: the text is empty.',
          "e.g. coachwire say '!help'.",
          EXIT_USAGE,
        );
      const timeout = timeoutOption(options.timeout, MAX_TIMEOUT_SECONDS, 10);
      // Mock mode's defaults, as the bot reads them in mock mode: the file is beside its database.
      const config = loadCliConfig(program.opts<GlobalOptions>(), io, { mock: { enabled: true } });
      const control = readControlFile(mockControlFilePath(config, io.cwd));
      const { reply, users } = await postAndWait(control, text, Math.ceil(timeout * 1000));
      if (reply === null)
        throw new CliError(
          `The bot did not reply within ${timeout} s.`,
          "check that the text is a bot command (the bot ignores anything else): coachwire say '!help' lists them.",
        );
      io.stdout(`${formatReply(reply, users)}\n`);
    });
}

/** The running mock's control file; no file, or one left by a mock that has stopped, means no mock runs. */
function readControlFile(file: string): MockControlFile {
  let control: Partial<MockControlFile>;
  try {
    control = JSON.parse(readFileSync(file, 'utf8')) as Partial<MockControlFile>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      // ./data/mock/ is relative to the current directory: run elsewhere, a running mock's file is not found.
      throw new CliError(
        `Cannot use ${file}: no mock is running.`,
        `${START_MOCK_FIX.replace(/\.$/, '')}; if it runs already, run this in the directory where pnpm start ` +
          "runs (the checkout's root), with the same DATABASE_PATH if one is set, since ./data/mock/ is " +
          'relative to the current directory.',
      );
    throw new CliError(`Cannot use ${file}: it is unreadable.`, START_MOCK_FIX);
  }
  const complete =
    typeof control.control_url === 'string' &&
    typeof control.channel_id === 'string' &&
    typeof control.member_id === 'string' &&
    typeof control.pid === 'number';
  if (!complete) throw new CliError(`${file} is not a mock control file.`, START_MOCK_FIX);
  if (!isRunning(control.pid!))
    throw new CliError(`The mock that wrote ${file} (pid ${control.pid}) is not running.`, START_MOCK_FIX);
  return control as MockControlFile;
}

/**
 * Posts through the emulator's control route; resolves with the bot's reply (null when none came in time) and
 * the names of the users it mentions.
 */
async function postAndWait(
  control: MockControlFile,
  text: string,
  timeoutMs: number,
): Promise<{ reply: BotReply | null; users: Record<string, string> }> {
  let response: Response;
  let body: { reply?: BotReply | null; users?: Record<string, string>; error?: string };
  try {
    response = await fetch(`${control.control_url}/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel_id: control.channel_id,
        author_id: control.member_id,
        content: text,
        timeout_ms: timeoutMs,
      }),
      // One deadline for connecting and the whole answer: a stuck mock cannot make this hang.
      signal: AbortSignal.timeout(timeoutMs + ANSWER_GRACE_MS),
    });
    body = (await response.json()) as typeof body;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      throw new CliError(
        `The mock at ${control.control_url} did not answer within ${(timeoutMs + ANSWER_GRACE_MS) / 1000} s.`,
        'check that mock mode is not stuck (its [bot] lines say what it does), or restart it: Ctrl-C, then pnpm start.',
      );
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(`Cannot reach the mock at ${control.control_url} (${cause}).`, START_MOCK_FIX);
  }
  if (!response.ok)
    throw new CliError(
      `The mock refused the message: ${body.error ?? `HTTP ${response.status}`}.`,
      'restart mock mode (Ctrl-C, then pnpm start) so the bot and this command are the same version.',
    );
  return { reply: body.reply ?? null, users: body.users ?? {} };
}

/**
 * The reply as plain text: its content, then each embed's title, description and `name: value` fields. A
 * Discord timestamp (`<t:1795802400:f>`, which Discord shows in the reader's time) becomes its UTC time, a
 * relative one (`:R`) how far it is from `now` ("in 6 hours"), as Discord shows it, and a mention
 * (`<@1191168914228050072>`) `@name`, as Discord shows it, when `users` (from the emulator) names it.
 */
export function formatReply(
  reply: BotReply,
  users: Readonly<Record<string, string>> = {},
  now: number = Date.now(),
): string {
  const lines = [reply.content];
  for (const embed of reply.embeds) {
    lines.push(embed.title ?? '', embed.description ?? '');
    for (const field of embed.fields ?? []) lines.push(`${field.name}: ${field.value}`);
  }
  const text = lines.filter((line) => line !== '').join('\n');
  return printable(
    text
      .replace(/<t:(\d{1,12})(?::([tTdDfFR]))?>/g, (_markup, seconds: string, style?: string) =>
        style === 'R' ? relative(Number(seconds) * 1000 - now) : utc(seconds),
      )
      .replace(/<@!?(\d{1,25})>/g, (markup, id: string) =>
        Object.hasOwn(users, id) ? `@${users[id]}` : markup,
      ),
  );
}

/** Epoch seconds as `2026-11-27 21:00 UTC`. */
function utc(seconds: string): string {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** A span from now as Discord words it: `in 6 hours`, `3 minutes ago`, in the largest whole unit. */
function relative(deltaMs: number): string {
  const [unit, size] = RELATIVE_UNITS.find(([, size]) => Math.abs(deltaMs) >= size) ?? ['second', 1_000];
  return relativeFormat.format(Math.round(deltaMs / size), unit);
}

/** Control characters other than newline and tab, as \uXXXX: an escape sequence could rewrite the terminal. */
function printable(text: string): string {
  return text.replace(/[^\P{Cc}\n\t]/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
