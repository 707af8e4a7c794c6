import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { describeLoginError, isTokenRejection } from './login.js';

/** System and undici error codes that mean Discord could not be reached at all. */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const GUILD_REFUSALS: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.InvalidFormBodyOrContentType,
]);

/** Why `deploy-commands` failed, in one line, and the Fix for it. Never the token. */
export function describeDeployFailure(
  error: unknown,
  guildId: string | undefined,
): { reason: string; fix: string } {
  const reason = describeLoginError(error);
  if (isTokenRejection(error))
    return {
      reason,
      fix: 'Discord refused DISCORD_BOT_TOKEN: copy the bot’s current token from the Discord developer portal (your application → Bot → Reset Token) into .env or the environment.',
    };
  if (error instanceof DiscordAPIError && guildId !== undefined && isGuildRefusal(error))
    return {
      reason,
      fix: `check --guild ${guildId}: it must be the id of a server the bot has joined, invited with the applications.commands scope; or leave --guild out to register the commands globally.`,
    };
  if (error instanceof DiscordAPIError && error.status >= 500)
    return {
      reason,
      fix: 'Discord could not take the commands just now: run deploy-commands again in a minute.',
    };
  // discord.js's REST aborts a request that gets no answer within its timeout (15 s, per attempt).
  if (error instanceof Error && error.name === 'AbortError')
    return {
      reason: 'Discord did not answer in time (the request was aborted after its timeout).',
      fix: 'this machine reached no answer from Discord (or from discord.api_url, if set): check its network, proxy and firewall, then run deploy-commands again.',
    };
  if (isUnreachable(error))
    return {
      reason,
      fix: 'this machine could not reach Discord: check its network connection, DNS (can it resolve discord.com?) and any proxy or firewall, then run deploy-commands again.',
    };
  return {
    reason,
    fix: 'run deploy-commands again; if it fails the same way, check DISCORD_BOT_TOKEN and the --guild id.',
  };
}

function isGuildRefusal(error: DiscordAPIError): boolean {
  return error.status === 403 || error.status === 404 || GUILD_REFUSALS.has(Number(error.code));
}

/** Looks through the causes: undici reports "fetch failed" with the system error underneath. */
function isUnreachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const { code } = current as NodeJS.ErrnoException;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    current = current.cause;
  }
  return false;
}
