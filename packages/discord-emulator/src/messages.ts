import type { EmulatedUser, Json } from './entities.js';
import type { UploadedFile } from './http-io.js';
import { nextSnowflake } from './snowflake.js';
import type { World } from './world.js';

/** A file attached to a message sent through the emulator (e.g. a coach's chart screenshot). */
export interface AttachmentInput {
  filename: string;
  contentType: string;
  data: Buffer;
  width?: number;
  height?: number;
}

/** What the bot or a simulated user puts in a message; the rest of the object is filled in. */
export interface MessageContent {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  attachments?: Json[];
  flags?: number;
  message_reference?: Json;
  /** Extra top-level fields, e.g. webhook_id and interaction_metadata for interaction responses. */
  extra?: Json;
}

/** Builds, stores and edits message objects, and keeps attachment bytes for the CDN route. */
export class MessageStore {
  constructor(
    private readonly world: World,
    private readonly cdnBaseUrl: () => string,
  ) {}

  /** Keeps the bytes and returns the attachment object Discord would send, with a CDN url. */
  storeAttachment(channelId: string, file: AttachmentInput): Json {
    const id = nextSnowflake();
    this.world.attachments.set(`${channelId}/${id}`, {
      filename: file.filename,
      contentType: file.contentType,
      data: file.data,
    });
    const url = `${this.cdnBaseUrl()}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    return {
      id,
      filename: file.filename,
      size: file.data.length,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(file.width === undefined ? {} : { width: file.width }),
      ...(file.height === undefined ? {} : { height: file.height }),
    };
  }

  /** Attachment objects for files uploaded in a multipart request (`files[n]` parts). */
  storeUploads(channelId: string, files: UploadedFile[]): Json[] {
    return files.map((file) => this.storeAttachment(channelId, file));
  }

  /** Creates and stores a message by `author` in `channelId`. */
  create(channelId: string, author: EmulatedUser, input: MessageContent): Json {
    const channel = this.world.channel(channelId);
    const reference = input.message_reference;
    const referenced = reference?.message_id
      ? this.world.messages.get(String(reference.message_id))
      : undefined;
    const message: Json = {
      id: nextSnowflake(),
      channel_id: channelId,
      guild_id: channel.guildId,
      author: this.world.toUserPayload(author),
      content: input.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: this.mentionedUsers(input.content ?? ''),
      mention_roles: [],
      attachments: input.attachments ?? [],
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      pinned: false,
      // 19 = REPLY, 0 = DEFAULT
      type: referenced ? 19 : 0,
      flags: input.flags ?? 0,
      ...(referenced
        ? {
            message_reference: {
              type: 0,
              message_id: referenced.id,
              channel_id: channelId,
              guild_id: channel.guildId,
            },
            referenced_message: referenced,
          }
        : {}),
      ...input.extra,
    };
    this.world.storeMessage(message);
    return message;
  }

  // Discord fills `mentions` from <@id> / <@!id> in the content; discord.js reads it for message.mentions.
  private mentionedUsers(content: string): Json[] {
    const ids = new Set([...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1]!));
    return [...ids].flatMap((id) => {
      const user = this.world.users.get(id);
      return user ? [this.world.toUserPayload(user)] : [];
    });
  }

  /** Applies an edit (content, embeds, components, attachments kept by id plus new uploads). */
  edit(channelId: string, messageId: string, patch: Json, uploads: Json[] = []): Json {
    const message = this.world.message(channelId, messageId);
    for (const field of ['content', 'embeds', 'components', 'flags'] as const) {
      if (patch[field] !== undefined && patch[field] !== null) message[field] = patch[field];
    }
    if (Array.isArray(patch.attachments) || uploads.length > 0) {
      const keptIds = new Set(
        Array.isArray(patch.attachments) ? patch.attachments.map((a) => String((a as Json).id)) : [],
      );
      const existing = (message.attachments as Json[]).filter((a) => keptIds.has(String(a.id)));
      message.attachments = [...existing, ...uploads];
    }
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  /** The MESSAGE_CREATE dispatch: the message plus the author's member object (without user). */
  toGatewayMessage(message: Json): Json {
    const guildId = String(message.guild_id);
    const authorId = String((message.author as Json).id);
    const member = this.world.guilds.get(guildId)?.members.get(authorId);
    return member ? { ...message, member: this.world.toMemberPayload(guildId, member, false) } : message;
  }
}
