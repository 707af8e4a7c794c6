import { getSystemErrorMap } from 'node:util';

/** Where a CLI run reads and writes: the real process by default, buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Exit statuses: 0 done, 1 the operation failed or found a problem, 2 bad input (usage or configuration). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The first write error of each of the process's output streams, recorded by watchProcessOutput(). */
const outputFailures: { stdout?: NodeJS.ErrnoException; stderr?: NodeJS.ErrnoException } = {};
let watchingOutput = false;

/**
 * The real process's streams, environment and working directory. Once a stream has failed, writes to it are
 * dropped: the command carries on to its end (a database write is never cut short by its printing).
 */
export function processIo(): CliIo {
  return {
    stdout: (text) => {
      if (!outputFailures.stdout) process.stdout.write(text);
    },
    stderr: (text) => {
      if (!outputFailures.stderr) process.stderr.write(text);
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Handles write errors on process.stdout and process.stderr for the `coachwire` executable (call it once,
 * before running the command). Unhandled, Node turns them into an 'error' event that crashes the process with
 * a stack trace, whatever the command was in the middle of; they arrive a tick after the failed write.
 *
 * - EPIPE (the reader went away, as in `coachwire db check | head -1`) is not a failure: like `git` or `ls`,
 *   nothing is printed. The rest of the output is dropped but the command still finishes its work, so the exit
 *   status is the command's own: 0 when its work was done. Not 141 (128 + SIGPIPE): that is the shell's mark
 *   of a process killed mid-way by SIGPIPE, which this one is not, and under `set -o pipefail` it would fail a
 *   script whose every step worked; a real failure of the command still exits 1 and says so on stderr.
 * - Any other error (ENOSPC on a full disk, EIO...) loses output the user asked for: a message and a `Fix:`
 *   line on stderr (when stdout failed and stderr still works), and exit status 1.
 */
export function watchProcessOutput(): void {
  if (watchingOutput) return;
  watchingOutput = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => outputFailed('stdout', error));
  process.stderr.on('error', (error: NodeJS.ErrnoException) => outputFailed('stderr', error));
}

function outputFailed(stream: 'stdout' | 'stderr', error: NodeJS.ErrnoException): void {
  if (outputFailures[stream]) return;
  outputFailures[stream] = error;
  if (error.code === 'EPIPE') return;
  // Set here too for errors that arrive after the command's status was set (the failed write was its last).
  if (!process.exitCode) process.exitCode = EXIT_FAILURE;
  if (stream === 'stdout' && !outputFailures.stderr)
    process.stderr.write(
      `coachwire: Cannot write the output: ${describeWriteError(error)}\nFix: ${outputFix(error)}\n`,
    );
}

/** The exit status the output's fate calls for: 1 once stdout or stderr failed other than by EPIPE, else 0. */
export function outputExitCode(): number {
  const failures = [outputFailures.stdout, outputFailures.stderr];
  return failures.some((error) => error && error.code !== 'EPIPE') ? EXIT_FAILURE : 0;
}

/** `ENOSPC (no space left on device)`: the code and the system's wording for it. */
function describeWriteError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? 'unknown error';
  const wording = typeof error.errno === 'number' ? getSystemErrorMap().get(error.errno)?.[1] : undefined;
  return wording ? `${code} (${wording})` : `${code} (${error.message})`;
}

function outputFix(error: NodeJS.ErrnoException): string {
  // The command itself was not stopped: only its output was lost (its own failures are reported as usual).
  if (error.code === 'ENOSPC' || error.code === 'EDQUOT')
    return 'free space on the disk the output is redirected to, or redirect it to another disk, and run the command again for its output.';
  return 'check the file, device or terminal the output goes to, or redirect it elsewhere, and run the command again for its output.';
}

/** A failure the user can act on: printed as `coachwire: <message>` plus `Fix: <fix>`, never with a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A number as an operator types it: 24, 0.5, .5, 1e3, 1e-5; no sign, no hex, never blank. */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The value of a numeric option, or NaN when it is not a plain decimal number. Number() alone reads '' (an
 * unset shell variable) and ' ' as 0, and '0x10' as 16.
 */
export function decimalOption(text: string): number {
  return DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
}

/**
 * A `--timeout <seconds>` value: a plain decimal number above 0 and at most `maxSeconds`; anything else is a
 * usage error whose Fix shows `example`.
 */
export function timeoutOption(text: string, maxSeconds: number, example: number): number {
  const seconds = decimalOption(text);
  if (seconds > 0 && seconds <= maxSeconds) return seconds;
  throw new CliError(
    `--timeout must be a number of seconds above 0 and at most ${maxSeconds}, got '${text}'.`,
    `pass seconds, e.g. --timeout ${example}.`,
    EXIT_USAGE,
  );
}
