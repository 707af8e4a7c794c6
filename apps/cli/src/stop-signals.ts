import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** Signals that stop `coachwire` (Ctrl-C, timeout, docker stop, a closed terminal). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Passes the signals that would stop this process on to `child` instead, until the returned function is
 * called (when the child has ended): the command then ends by its child's fate, and a child still at work (a
 * registration talking to Discord, a pg_dump writing its file) is never left running on its own.
 */
export function passStopSignalsTo(child: ChildProcess): () => void {
  const passOn = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of STOP_SIGNALS) process.on(signal, passOn);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, passOn);
  };
}

/** The exit status of a process stopped by `signal`, as a shell reports it: 128 + its number. */
export function signalExitStatus(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
