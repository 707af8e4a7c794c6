import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Json } from './entities.js';
import { nextSnowflake } from './snowflake.js';
import type { World } from './world.js';

// The gateway is Discord's WebSocket: the server pushes events ("dispatches", op 0) and the
// client keeps the connection alive with heartbeats. Only JSON encoding without compression
// is spoken, which is what discord.js uses unless zlib-sync is installed.

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  Resume: 6,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

const Close = {
  /** "Unknown error": discord.js reconnects and RESUMEs. */
  Resumable: 4000,
  UnknownOpcode: 4001,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
} as const;

/** How many past dispatches a session keeps for replay on RESUME. */
const REPLAY_BUFFER_SIZE = 1_000;

/** A logged-in client's session; it outlives its socket so the client can RESUME it. */
interface GatewaySession {
  id: string;
  sequence: number;
  socket: WebSocket | null;
  sent: { s: number; payload: Json }[];
  /** The IDENTIFY intents bitfield: decides which events and message fields the client gets. */
  intents: number;
}

export interface GatewayOptions {
  world: World;
  botToken: string;
  applicationId: string;
  heartbeatIntervalMs: number;
  /** ws://127.0.0.1:PORT/gateway, known once the HTTP server listens. */
  gatewayUrl: () => string;
}

/** Emits 'identify' and 'resume' after each successful handshake of that kind. */
export class GatewayServer extends EventEmitter {
  identifyCount = 0;
  resumeCount = 0;
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly sessionOfSocket = new Map<WebSocket, GatewaySession>();
  private readonly server = new WebSocketServer({ noServer: true });

  constructor(private readonly options: GatewayOptions) {
    super();
    this.server.on('connection', (socket) => this.onConnection(socket));
  }

  /** Open gateway sockets right now. */
  get connections(): number {
    return this.server.clients.size;
  }

  /** Takes over an HTTP upgrade request for the gateway path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.server.emit('connection', ws, request));
  }

  /** Sends an event to every session; sessions whose socket is down buffer it for RESUME. */
  dispatch(event: string, data: Json): void {
    for (const session of this.sessions.values()) this.sendDispatch(session, event, data);
  }

  /** Simulates a dropped connection: resumable closes with 4000, otherwise the session is invalidated. */
  dropConnections(options: { resumable: boolean }): void {
    for (const [socket, session] of this.sessionOfSocket) {
      if (options.resumable) {
        socket.close(Close.Resumable, 'Emulated connection drop');
      } else {
        // INVALID_SESSION with d:false tells the client to start over with a fresh IDENTIFY.
        this.sessions.delete(session.id);
        this.sessionOfSocket.delete(socket);
        this.send(socket, { op: Op.InvalidSession, d: false });
      }
    }
  }

  /** Closes every socket at once (used when the emulator stops). */
  close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    // Step 1: HELLO tells the client how often to heartbeat.
    this.send(socket, { op: Op.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
    socket.on('message', (raw) => this.onPayload(socket, raw.toString()));
    socket.on('close', (code) => {
      const session = this.sessionOfSocket.get(socket);
      this.sessionOfSocket.delete(socket);
      // The session may already be resumed on a newer socket; only detach if it is still ours.
      if (!session || session.socket !== socket) return;
      session.socket = null;
      // A client closing with 1000/1001 ends its session; any other close leaves it resumable.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
  }

  private onPayload(socket: WebSocket, text: string): void {
    let payload: { op?: number; d?: unknown };
    try {
      payload = JSON.parse(text) as { op?: number; d?: unknown };
    } catch {
      socket.close(4002, 'Decode error');
      return;
    }
    const data = (payload.d ?? {}) as Json;
    switch (payload.op) {
      case Op.Heartbeat:
        // Every heartbeat must be acknowledged, or the client declares the connection a zombie.
        this.send(socket, { op: Op.HeartbeatAck });
        return;
      case Op.Identify:
        this.onIdentify(socket, data);
        return;
      case Op.Resume:
        this.onResume(socket, data);
        return;
      case Op.RequestGuildMembers:
        this.onRequestGuildMembers(socket, data);
        return;
      case Op.PresenceUpdate:
        return;
      default:
        socket.close(Close.UnknownOpcode, `Unknown opcode ${String(payload.op)}`);
    }
  }

  private tokenIsValid(token: unknown): boolean {
    return typeof token === 'string' && token.replace(/^Bot /, '') === this.options.botToken;
  }

  // Step 2: IDENTIFY → READY (guilds as unavailable stubs) → one GUILD_CREATE per guild.
  private onIdentify(socket: WebSocket, data: Json): void {
    if (!this.tokenIsValid(data.token)) {
      socket.close(Close.AuthenticationFailed, 'Authentication failed');
      return;
    }
    if (this.sessionOfSocket.has(socket)) {
      socket.close(Close.AlreadyAuthenticated, 'Already authenticated');
      return;
    }
    const session: GatewaySession = {
      id: nextSnowflake(),
      sequence: 0,
      socket,
      sent: [],
      intents: Number(data.intents ?? 0),
    };
    this.sessions.set(session.id, session);
    this.sessionOfSocket.set(socket, session);
    const { world } = this.options;
    this.identifyCount += 1;
    this.sendDispatch(session, 'READY', {
      v: 10,
      user: { ...world.toUserPayload(world.botUser), verified: true, mfa_enabled: false },
      guilds: [...world.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.options.gatewayUrl(),
      shard: [0, 1],
      application: { id: this.options.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
    });
    for (const guild of world.guilds.values())
      this.sendDispatch(session, 'GUILD_CREATE', world.toGuildCreatePayload(guild));
    this.emit('identify');
  }

  // Step 3 (after a drop): RESUME → replay what was missed → RESUMED.
  private onResume(socket: WebSocket, data: Json): void {
    if (!this.tokenIsValid(data.token)) {
      socket.close(Close.AuthenticationFailed, 'Authentication failed');
      return;
    }
    const session = this.sessions.get(String(data.session_id));
    if (!session) {
      this.send(socket, { op: Op.InvalidSession, d: false });
      return;
    }
    const previous = session.socket;
    session.socket = socket;
    if (previous) {
      this.sessionOfSocket.delete(previous);
      previous.terminate();
    }
    this.sessionOfSocket.set(socket, session);
    const lastSeen = Number(data.seq ?? 0);
    for (const { s, payload } of session.sent) if (s > lastSeen) this.send(socket, payload);
    this.resumeCount += 1;
    this.sendDispatch(session, 'RESUMED', {});
    this.emit('resume');
  }

  // discord.js's guild.members.fetch() asks over the gateway and waits for GUILD_MEMBERS_CHUNK.
  private onRequestGuildMembers(socket: WebSocket, data: Json): void {
    const session = this.sessionOfSocket.get(socket);
    const { world } = this.options;
    const guild = world.guilds.get(String(data.guild_id));
    if (!session || !guild) return;
    const userIds = Array.isArray(data.user_ids) ? data.user_ids.map(String) : null;
    const query = typeof data.query === 'string' ? data.query.toLowerCase() : '';
    const members = [...guild.members.values()].filter((member) =>
      userIds
        ? userIds.includes(member.userId)
        : world.user(member.userId).username.toLowerCase().startsWith(query),
    );
    this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: guild.id,
      members: members.map((member) => world.toMemberPayload(guild.id, member)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: [],
      ...(data.nonce === undefined ? {} : { nonce: data.nonce }),
    });
  }

  // Every dispatch carries the session's next sequence number; clients echo the last one in heartbeats and RESUME.
  private sendDispatch(session: GatewaySession, event: string, rawData: Json): void {
    const data = applyIntents(session.intents, event, rawData, this.options.world.botUser.id);
    if (!data) return;
    session.sequence += 1;
    const payload = { op: Op.Dispatch, t: event, s: session.sequence, d: data };
    session.sent.push({ s: session.sequence, payload });
    if (session.sent.length > REPLAY_BUFFER_SIZE) session.sent.shift();
    if (session.socket) this.send(session.socket, payload);
  }

  private send(socket: WebSocket, payload: Json): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  }
}

const Intent = { GuildMessages: 1 << 9, MessageContent: 1 << 15 };
const MESSAGE_EVENTS = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);

/**
 * What a client with these intents receives, like Discord: no guild message events without
 * GuildMessages, and without the privileged MessageContent intent, other users' messages arrive
 * with empty content, embeds, attachments and components (unless they mention the bot).
 */
function applyIntents(intents: number, event: string, data: Json, botUserId: string): Json | null {
  if (!MESSAGE_EVENTS.has(event)) return data;
  if (!(intents & Intent.GuildMessages)) return null;
  if (intents & Intent.MessageContent || event === 'MESSAGE_DELETE') return data;
  const authorId = (data.author as Json | undefined)?.id;
  const mentionsBot = ((data.mentions as Json[] | undefined) ?? []).some((user) => user.id === botUserId);
  if (authorId === botUserId || mentionsBot) return data;
  return { ...data, content: '', embeds: [], attachments: [], components: [] };
}
