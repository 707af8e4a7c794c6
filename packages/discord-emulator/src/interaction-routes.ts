import { pickContent } from './channel-routes.js';
import { commandErrors, commandListErrors } from './command-limits.js';
import type { Json } from './entities.js';
import type { EmulatedInteraction } from './interactions.js';
import { autocompleteErrors, messageErrors, modalErrors } from './message-limits.js';
import {
  discordError,
  noContent,
  ok,
  type RouteDeps,
  type RouteResponse,
  type RouteTable,
} from './routes.js';

const CallbackType = { Reply: 4, DeferredReply: 5, DeferredUpdate: 6, Update: 7, Autocomplete: 8, Modal: 9 };
const MessageFlag = { Ephemeral: 1 << 6, Loading: 1 << 7 };

/** Interaction callbacks, the interaction webhook (edit original, follow-ups) and command registration. */
export function interactionRoutes(deps: RouteDeps): RouteTable {
  const { world, messages, interactions, commands } = deps;

  const withInteraction = (token: string, handle: (interaction: EmulatedInteraction) => RouteResponse) => {
    const interaction = interactions.getByToken(token);
    if (!interaction) return discordError(404, 'Unknown Webhook', 10015);
    if (interactions.expired(interaction, 'webhook'))
      return discordError(401, 'Invalid Webhook Token', 50027);
    return handle(interaction);
  };

  // Interaction responses are posted by the application's webhook, so they carry its id.
  const createResponseMessage = (
    interaction: EmulatedInteraction,
    body: Json,
    flags: number,
    uploads: Json[],
  ) =>
    messages.create(interaction.channelId, world.botUser, {
      ...pickContent(body),
      flags,
      attachments: uploads,
      extra: {
        webhook_id: deps.applicationId,
        application_id: deps.applicationId,
        // discord.js builds this into a Message and requires authorizing_integration_owners.
        interaction_metadata: {
          id: interaction.id,
          type: interaction.type,
          user: world.toUserPayload(world.user(interaction.userId)),
          authorizing_integration_owners: { '0': interaction.guildId },
        },
      },
    });

  const editMessage = (
    interaction: EmulatedInteraction,
    messageId: string,
    body: Json,
    files: RouteFiles,
  ) => {
    const uploads = messages.storeUploads(interaction.channelId, files);
    const message = messages.edit(interaction.channelId, messageId, body, uploads);
    message.flags = Number(message.flags ?? 0) & ~MessageFlag.Loading;
    return message;
  };

  return {
    // Step 1 of answering: exactly one callback per interaction, within 3 s on real Discord.
    'POST /interactions/:interactionId/:token/callback': ({ params, body, files, query }) => {
      const interaction = interactions.get(params.interactionId!);
      if (!interaction || interaction.token !== params.token || interactions.expired(interaction, 'callback'))
        return discordError(404, 'Unknown interaction', 10062);
      if (interaction.acknowledged)
        return discordError(400, 'Interaction has already been acknowledged.', 40060);
      const type = Number(body.type);
      const data = (body.data ?? {}) as Json;
      // A refused answer acknowledges nothing: Discord still waits for a valid one.
      const invalid = callbackErrors(type, data);
      if (invalid) return invalid;
      interaction.acknowledged = true;
      let message: Json | undefined;
      if (type === CallbackType.Reply || type === CallbackType.DeferredReply) {
        const flags =
          (Number(data.flags ?? 0) & MessageFlag.Ephemeral) | (type === 5 ? MessageFlag.Loading : 0);
        const uploads = messages.storeUploads(interaction.channelId, files);
        message = createResponseMessage(interaction, type === 5 ? {} : data, flags, uploads);
        interaction.originalMessageId = String(message.id);
      } else if (type === CallbackType.Update && interaction.originalMessageId) {
        // UPDATE_MESSAGE edits the message whose component was used.
        message = editMessage(interaction, interaction.originalMessageId, data, files);
      }
      interaction.responses.push({
        kind: 'callback',
        callbackType: type,
        body,
        ...(message ? { messageId: String(message.id) } : {}),
      });
      if (query.with_response !== 'true') return noContent;
      const flags = Number(message?.flags ?? 0);
      return ok({
        interaction: {
          id: interaction.id,
          type: interaction.type,
          response_message_id: message?.id ?? null,
          response_message_loading: (flags & MessageFlag.Loading) !== 0,
          response_message_ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
        },
        resource: { type, ...(message ? { message } : {}) },
      });
    },

    'GET /webhooks/:applicationId/:token/messages/@original': ({ params }) =>
      withInteraction(params.token!, (interaction) =>
        interaction.originalMessageId
          ? ok(world.message(interaction.channelId, interaction.originalMessageId))
          : discordError(404, 'Unknown Message', 10008),
      ),
    // editReply after deferReply lands here (discord.js sends '@original' URL-encoded as %40original).
    'PATCH /webhooks/:applicationId/:token/messages/@original': ({ params, body, files }) =>
      withInteraction(params.token!, (interaction) => {
        if (!interaction.originalMessageId) return discordError(404, 'Unknown Message', 10008);
        const invalid = messageErrors(body).response();
        if (invalid) return invalid;
        const message = editMessage(interaction, interaction.originalMessageId, body, files);
        interaction.responses.push({ kind: 'editOriginal', body, messageId: String(message.id) });
        return ok(message);
      }),
    'DELETE /webhooks/:applicationId/:token/messages/@original': ({ params }) =>
      withInteraction(params.token!, (interaction) => {
        if (!interaction.originalMessageId) return discordError(404, 'Unknown Message', 10008);
        world.removeMessage(interaction.channelId, interaction.originalMessageId);
        interaction.responses.push({
          kind: 'deleteOriginal',
          body: undefined,
          messageId: interaction.originalMessageId,
        });
        interaction.originalMessageId = null;
        return noContent;
      }),
    'POST /webhooks/:applicationId/:token': ({ params, body, files }) =>
      withInteraction(params.token!, (interaction) => {
        const invalid = messageErrors(body).response();
        if (invalid) return invalid;
        const uploads = messages.storeUploads(interaction.channelId, files);
        const flags = Number(body.flags ?? 0) & MessageFlag.Ephemeral;
        const message = createResponseMessage(interaction, body, flags, uploads);
        interaction.responses.push({ kind: 'followUp', body, messageId: String(message.id) });
        return ok(message);
      }),
    'PATCH /webhooks/:applicationId/:token/messages/:messageId': ({ params, body, files }) =>
      withInteraction(params.token!, (interaction) => {
        const invalid = messageErrors(body).response();
        if (invalid) return invalid;
        const message = editMessage(interaction, params.messageId!, body, files);
        interaction.responses.push({ kind: 'editFollowUp', body, messageId: String(message.id) });
        return ok(message);
      }),

    'GET /applications/:applicationId/commands': () => ok(commands.list()),
    'PUT /applications/:applicationId/commands': ({ body }) =>
      commandListErrors(asArray(body)).response() ?? ok(commands.overwrite(asArray(body))),
    'POST /applications/:applicationId/commands': ({ body }) =>
      commandErrors(body).response() ?? ok(commands.upsert(body)),
    'GET /applications/:applicationId/guilds/:guildId/commands': ({ params }) =>
      ok(commands.list(world.guild(params.guildId!).id)),
    'PUT /applications/:applicationId/guilds/:guildId/commands': ({ params, body }) =>
      commandListErrors(asArray(body)).response() ??
      ok(commands.overwrite(asArray(body), world.guild(params.guildId!).id)),
    'POST /applications/:applicationId/guilds/:guildId/commands': ({ params, body }) =>
      commandErrors(body).response() ?? ok(commands.upsert(body, world.guild(params.guildId!).id)),
  };
}

/** What a callback's data breaks: a reply or update is a message, autocomplete its choices, a modal its form. */
function callbackErrors(type: number, data: Json): RouteResponse | null {
  if (type === CallbackType.Reply || type === CallbackType.Update)
    return messageErrors(data, undefined, ['data']).response();
  if (type === CallbackType.Autocomplete) return autocompleteErrors(data).response();
  if (type === CallbackType.Modal) return modalErrors(data).response();
  return null;
}

type RouteFiles = Parameters<RouteDeps['messages']['storeUploads']>[1];

// A bulk overwrite body is a JSON array; the route layer types bodies as objects.
function asArray(body: Json): Json[] {
  return Array.isArray(body) ? (body as Json[]) : [];
}
