import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscordEmulator } from './emulator.js';
import { UnknownEntityError } from './entities.js';
import { readBody, sendJson } from './http-io.js';

// The emulator's own control routes, for tools outside the process that runs it (e.g. `coachwire say` in mock
// mode). They are not Discord's API: no bot token, nothing recorded in `calls`, and only on 127.0.0.1.

/** Every control route's path starts with this; Discord's routes live under /api. */
export const CONTROL_PATH_PREFIX = '/_control';

/** The longest a caller may ask `say` to wait for the bot's reply. */
const MAX_TIMEOUT_MS = 60_000;

/**
 * `POST /_control/say` with `{channel_id, author_id, content, timeout_ms?}`: the user posts the message (a
 * MESSAGE_CREATE to the bot, with `@name` of a member sent as the mention `<@id>`) and the answer is `{message_id, reply: {content, embeds} | null}`, null when the bot
 * did not reply within timeout_ms (default 10 000). With a reply comes `users`: the name Discord's client shows
 * for each user the reply mentions (`<@id>`), by id, so a plain-text reader can show `@name` as Discord does.
 * Errors are `{error}` with 400, 404 or 405.
 */
export async function handleControlRequest(
  request: IncomingMessage,
  response: ServerResponse,
  emulator: Pick<DiscordEmulator, 'say' | 'typedMentions' | 'userDisplayName'>,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://emulator').pathname;
  if (path !== `${CONTROL_PATH_PREFIX}/say`)
    return sendJson(response, 404, { error: `No control route ${path}; there is POST /_control/say.` });
  if (request.method !== 'POST')
    return sendJson(response, 405, { error: 'Use POST for /_control/say.' }, { allow: 'POST' });
  let body: unknown;
  try {
    body = (await readBody(request)).json;
  } catch {
    return sendJson(response, 400, { error: 'The body must be JSON.' });
  }
  const input = readSayBody(body);
  if (typeof input === 'string') return sendJson(response, 400, { error: input });
  try {
    // A person types @name; Discord's client sends the mention <@id>, which is what bots read.
    const content = emulator.typedMentions(input.channelId, input.content);
    const { message, reply } = await emulator.say({ ...input, content });
    if (!reply) return sendJson(response, 200, { message_id: message.id, reply: null });
    sendJson(response, 200, {
      message_id: message.id,
      reply: { content: reply.content ?? '', embeds: reply.embeds ?? [] },
      users: mentionedUsers(JSON.stringify([reply.content, reply.embeds]), emulator),
    });
  } catch (error) {
    if (!(error instanceof UnknownEntityError)) throw error;
    sendJson(response, 404, { error: `Unknown ${error.entity} ${error.id}.` });
  }
}

/** The say request, or what is wrong with the body. */
function readSayBody(
  body: unknown,
): { channelId: string; authorId: string; content: string; timeoutMs?: number } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'The body must be a JSON object: {channel_id, author_id, content, timeout_ms?}.';
  const { channel_id, author_id, content, timeout_ms } = body as Record<string, unknown>;
  if (typeof channel_id !== 'string' || channel_id === '') return 'channel_id must be a non-empty string.';
  if (typeof author_id !== 'string' || author_id === '') return 'author_id must be a non-empty string.';
  if (typeof content !== 'string' || content.trim() === '') return 'content must be a non-empty string.';
  if (timeout_ms === undefined) return { channelId: channel_id, authorId: author_id, content };
  if (
    typeof timeout_ms !== 'number' ||
    !Number.isInteger(timeout_ms) ||
    timeout_ms < 1 ||
    timeout_ms > MAX_TIMEOUT_MS
  )
    return `timeout_ms must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`;
  return { channelId: channel_id, authorId: author_id, content, timeoutMs: timeout_ms };
}

/** The display name of each known user mentioned (`<@id>`, `<@!id>`) in `text`, by id. */
function mentionedUsers(
  text: string,
  emulator: Pick<DiscordEmulator, 'userDisplayName'>,
): Record<string, string> {
  const users: Record<string, string> = {};
  for (const [, id] of text.matchAll(/<@!?(\d{1,25})>/g)) {
    const name = emulator.userDisplayName(id!);
    if (name !== undefined) users[id!] = name;
  }
  return users;
}
