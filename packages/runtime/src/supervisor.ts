/**
 * Calls `stop` once the process that started this one with an IPC channel is gone. `pnpm start`
 * (scripts/start.mjs) starts the API and the bot that way, each in its own process group so a terminal's Ctrl-C
 * reaches them once, through it; killed outright (SIGKILL, the OOM killer) it can stop neither, and they would
 * keep running, holding the port, with no terminal left to stop them. The channel closing is how they learn it.
 * The channel does not keep the process alive. Without one (started by hand, systemd, Docker) this does nothing.
 */
export function stopWhenSupervisorGone(stop: () => void): void {
  if (!process.channel) return;
  process.channel.unref();
  process.once('disconnect', stop);
}
