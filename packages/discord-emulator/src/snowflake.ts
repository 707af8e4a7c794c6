// Discord ids are "snowflakes": 64-bit numbers whose top 42 bits are milliseconds since
// the Discord epoch (2015-01-01). discord.js derives `createdAt` from them, so ours follow
// the same layout and are strictly increasing within one process.
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

let lastSnowflake = 0n;

/** Returns a new, strictly increasing snowflake id as a decimal string. */
export function nextSnowflake(): string {
  const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n;
  lastSnowflake = fromClock > lastSnowflake ? fromClock : lastSnowflake + 1n;
  return lastSnowflake.toString();
}
