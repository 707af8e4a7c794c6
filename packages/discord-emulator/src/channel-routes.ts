import type { Json } from './entities.js';
import { messageErrors } from './message-limits.js';
import { discordError, noContent, ok, type RouteDeps, type RouteTable } from './routes.js';

/** Bot-token routes for users, guilds, channels and messages. */
export function channelRoutes(deps: RouteDeps): RouteTable {
  const { world, messages } = deps;
  const bot = world.botUser;
  return {
    // discord.js asks where the gateway is before connecting; 'bot' also carries shard advice.
    'GET /gateway/bot': () =>
      ok({
        url: deps.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      }),
    'GET /gateway': () => ok({ url: deps.gatewayUrl() }),
    'GET /users/@me': () => ok(world.toUserPayload(bot)),
    'GET /users/:userId': ({ params }) => ok(world.toUserPayload(world.user(params.userId!))),
    'GET /applications/@me': () =>
      ok({
        id: deps.applicationId,
        name: bot.username,
        icon: null,
        description: 'Discord emulator application',
        bot_public: false,
        bot_require_code_grant: false,
        bot: world.toUserPayload(bot),
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        owner: world.toUserPayload(bot),
      }),

    'GET /guilds/:guildId': ({ params }) => ok(world.toGuildPayload(world.guild(params.guildId!))),
    'GET /guilds/:guildId/channels': ({ params }) =>
      ok(world.guild(params.guildId!).channelIds.map((id) => world.toChannelPayload(world.channel(id)))),
    'GET /guilds/:guildId/roles': ({ params }) =>
      ok([...world.guild(params.guildId!).roles.values()].map((role) => world.toRolePayload(role))),
    'GET /guilds/:guildId/members/:userId': ({ params }) =>
      ok(world.toMemberPayload(params.guildId!, world.member(params.guildId!, params.userId!))),

    'GET /channels/:channelId': ({ params }) => ok(world.toChannelPayload(world.channel(params.channelId!))),
    // Newest first, as Discord lists them.
    'GET /channels/:channelId/messages': ({ params, query }) => {
      world.channel(params.channelId!);
      const limit = Math.min(Number(query.limit ?? 50), 100);
      return ok(world.messagesIn(params.channelId!).reverse().slice(0, limit));
    },
    'POST /channels/:channelId/messages': ({ params, body, files }) => {
      const channelId = params.channelId!;
      world.channel(channelId);
      const uploads = messages.storeUploads(channelId, files);
      if (!body.content && !body.embeds && uploads.length === 0 && !body.components && !body.sticker_ids) {
        return discordError(400, 'Cannot send an empty message', 50006);
      }
      const invalid = messageErrors(body).response();
      if (invalid) return invalid;
      return ok(messages.create(channelId, bot, { ...pickContent(body), attachments: uploads }));
    },
    'GET /channels/:channelId/messages/:messageId': ({ params }) =>
      ok(world.message(params.channelId!, params.messageId!)),
    'PATCH /channels/:channelId/messages/:messageId': ({ params, body, files }) =>
      messageErrors(body).response() ??
      ok(
        messages.edit(
          params.channelId!,
          params.messageId!,
          body,
          messages.storeUploads(params.channelId!, files),
        ),
      ),
    'DELETE /channels/:channelId/messages/:messageId': ({ params }) => {
      world.removeMessage(params.channelId!, params.messageId!);
      return noContent;
    },
    'POST /channels/:channelId/typing': ({ params }) => {
      world.channel(params.channelId!);
      return noContent;
    },
    'PUT /channels/:channelId/messages/:messageId/reactions/:emoji/@me': ({ params }) => {
      const message = world.message(params.channelId!, params.messageId!);
      const reactions = (message.reactions as Json[] | undefined) ?? [];
      message.reactions = [...reactions, { count: 1, me: true, emoji: { id: null, name: params.emoji } }];
      return noContent;
    },
    'DELETE /channels/:channelId/messages/:messageId/reactions/:emoji/@me': ({ params }) => {
      const message = world.message(params.channelId!, params.messageId!);
      const reactions = (message.reactions as Json[] | undefined) ?? [];
      message.reactions = reactions.filter((r) => (r.emoji as Json).name !== params.emoji);
      return noContent;
    },
  };
}

/** The message fields a create or reply request may set. */
export function pickContent(body: Json): {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  message_reference?: Json;
} {
  return {
    ...(typeof body.content === 'string' ? { content: body.content } : {}),
    ...(Array.isArray(body.embeds) ? { embeds: body.embeds } : {}),
    ...(Array.isArray(body.components) ? { components: body.components } : {}),
    ...(typeof body.flags === 'number' ? { flags: body.flags } : {}),
    ...(body.message_reference ? { message_reference: body.message_reference as Json } : {}),
  };
}
