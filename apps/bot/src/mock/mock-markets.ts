import type { Logger } from '@coachwire/config';
import { MAX_MARKET_PAGE_SIZE, type MarketQueries, mockDiscordId } from '@coachwire/core';
import { type EmulatedUser, type Json, Permission, type RecordedCall } from '@coachwire/discord-emulator';
import type { MarketBoard } from '../markets/market-board.js';
import type { MockDiscord } from './mock-discord.js';

const REPLY_TIMEOUT_MS = 15_000;
const MEMBER_NAMES = ['mock_ava', 'mock_ben', 'mock_cleo', 'mock_dev', 'mock_eli'];
const AMOUNTS = [10, 20, 25, 40, 50, 75, 100];
/**
 * What the admin gives a simulated member who cannot afford the smallest bet: on a long weekend of restarts
 * nothing closes, so nothing pays out, and without it the crowd ran dry and the markets stopped moving.
 */
const TOP_UP = 500;
const QUESTIONS: readonly { question: string; options: string; closes: string; mechanism: 'amm' | 'pool' }[] =
  [
    { question: 'Will SPY close above its open today?', options: '', closes: '20m', mechanism: 'amm' },
    {
      question: 'Which sector leads this week?',
      options: 'Tech\nEnergy\nFinancials\nHealth',
      closes: '45m',
      mechanism: 'amm',
    },
    {
      question: 'Where does VIX close today?',
      options: 'Below 15\n15 to 20\nAbove 20',
      closes: '30m',
      mechanism: 'pool',
    },
  ];

/** Waits for the call carrying the bot's final answer to an interaction (reply, update, modal). */
function answerOf(mock: MockDiscord, token: string): Promise<RecordedCall> {
  return mock.emu.waitForCall(
    (call) =>
      call.path.includes(token) &&
      call.status < 300 &&
      ((call.route === 'POST /interactions/:interactionId/:token/callback' &&
        [4, 7, 9].includes((call.body as { type?: number }).type ?? 0)) ||
        call.route === 'PATCH /webhooks/:applicationId/:token/messages/@original' ||
        call.route === 'POST /webhooks/:applicationId/:token'),
    { timeoutMs: REPLY_TIMEOUT_MS },
  );
}

function buttonsOf(data: unknown): { custom_id: string; disabled?: boolean }[] {
  const rows = ((data as { components?: { components?: { custom_id: string; disabled?: boolean }[] }[] })
    ?.components ?? []) as { components?: { custom_id: string; disabled?: boolean }[] }[];
  return rows.flatMap((row) => row.components ?? []);
}

/**
 * The simulated market crowd of mock mode: members claim their daily points and bet through the market
 * messages' buttons (form, quote, Confirm) on the open markets, coach-call markets included; a simulated admin
 * keeps a few markets open and resolves those that closed. Everything goes through the emulator and the real bot.
 */
export class MockMarketCrowd {
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private tick = 0;
  private readonly claimedOn = new Map<string, string>();
  readonly members: EmulatedUser[];
  readonly admin: EmulatedUser;

  constructor(
    private readonly mock: MockDiscord,
    private readonly queries: MarketQueries,
    private readonly today: () => string,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {
    const { emu, guild } = mock;
    const role = emu.createRole(guild.id, { name: 'Mock Admin', permissions: Permission.ManageMessages });
    this.admin = emu.createUser({ id: mockDiscordId('member/admin'), username: 'mock_admin' });
    emu.addMember(guild.id, this.admin.id, { roles: [role.id] });
    this.members = MEMBER_NAMES.map((name) => {
      const user = emu.createUser({ id: mockDiscordId(`member/${name}`), username: name, globalName: name });
      emu.addMember(guild.id, user.id);
      return user;
    });
  }

  /**
   * One step of the crowd now and every `intervalSeconds`: the first at once, so that someone trying mock mode
   * finds the admin's markets open from the start (after the close, the only ones), not half a minute later.
   */
  start(intervalSeconds: number): void {
    const step = () => {
      this.busy = this.busy
        .then(() => this.simulateOnce())
        .then(() => undefined)
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'mock market step failed');
        });
    };
    step();
    this.timer = setInterval(step, intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }

  /**
   * After a restart the emulator starts empty, while the database still has the open (and closed, unsettled)
   * markets linked to the last run's messages: posts their messages again, so the crowd, and anyone trying the
   * emulator, can bet through their buttons, and the bot's edits land on messages that exist. Resolves to how
   * many were posted (0 on a first start).
   */
  async restoreMarketMessages(board: MarketBoard): Promise<number> {
    const { emu, guild, channel } = this.mock;
    const present = new Set(emu.messagesIn(channel.id).map((message) => String(message.id)));
    const marketIds: number[] = [];
    for (const status of ['open', 'closed'] as const) {
      let cursor: string | undefined;
      do {
        const page = await this.queries.list({
          guildId: guild.id,
          status,
          limit: MAX_MARKET_PAGE_SIZE,
          cursor,
        });
        marketIds.push(...page.items.map((summary) => summary.market.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
    return board.repostGone(
      marketIds,
      channel.id,
      (link) => link.channelId !== channel.id || !present.has(link.messageId),
    );
  }

  /** One step: daily claims, the admin's upkeep (resolve closed markets, keep some open), and a few bets. */
  async simulateOnce(): Promise<{ bets: number; resolved: number; created: number }> {
    this.tick += 1;
    for (const member of this.members) await this.claimDaily(member);
    const resolved = await this.resolveClosed();
    const created = await this.keepMarketsOpen();
    // Markets nobody has bet on yet come first (each simulated plan's coach-call market gets its crowd).
    const open = await this.queries.list({ guildId: this.mock.guild.id, status: 'open', limit: 50 });
    const untouched = new Set(open.items.filter((summary) => summary.bettors === 0).map((s) => s.market.id));
    let bets = 0;
    for (let i = 0; i < 6; i++) if (await this.betOnce(untouched)) bets += 1;
    this.logger.info({ bets, resolved, created }, 'mock market crowd step');
    return { bets, resolved, created };
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.random() * items.length)];
  }

  private async claimDaily(member: EmulatedUser): Promise<void> {
    const today = this.today();
    if (this.claimedOn.get(member.id) === today) return;
    this.claimedOn.set(member.id, today);
    await this.mock.emu.sendMessage({
      channelId: this.mock.channel.id,
      authorId: member.id,
      content: '!daily',
    });
  }

  private async slash(
    user: EmulatedUser,
    subcommand: string,
    options: Json[],
    commandName = 'market',
  ): Promise<RecordedCall> {
    const { token } = await this.mock.emu.invokeSlashCommand({
      guildId: this.mock.guild.id,
      channelId: this.mock.channel.id,
      userId: user.id,
      commandName,
      options: [{ type: 1, name: subcommand, options }],
    });
    return answerOf(this.mock, token);
  }

  private async resolveClosed(): Promise<number> {
    const closed = await this.queries.list({ guildId: this.mock.guild.id, status: 'closed', limit: 10 });
    for (const { market, options } of closed.items) {
      const winner = this.pick(options);
      if (!winner) continue;
      await this.slash(this.admin, 'resolve', [
        { type: 3, name: 'market', value: String(market.id) },
        { type: 3, name: 'outcome', value: winner.label },
      ]);
    }
    return closed.items.length;
  }

  private async keepMarketsOpen(): Promise<number> {
    const open = await this.queries.list({ guildId: this.mock.guild.id, status: 'open', limit: 20 });
    const own = open.items.filter((summary) => summary.market.planId === null);
    if (own.length >= 2) return 0;
    const spec = QUESTIONS[this.tick % QUESTIONS.length]!;
    const form = await this.slash(this.admin, 'create', [
      { type: 3, name: 'closes', value: spec.closes },
      { type: 3, name: 'mechanism', value: spec.mechanism },
    ]);
    const customId = (form.body as { data?: { custom_id?: string } }).data?.custom_id;
    if (!customId) return 0;
    const { token } = await this.mock.emu.submitModal({
      guildId: this.mock.guild.id,
      channelId: this.mock.channel.id,
      userId: this.admin.id,
      customId,
      fields: {
        question: spec.question,
        options: spec.options,
        description: 'A simulated market of mock mode.',
      },
    });
    await answerOf(this.mock, token);
    return 1;
  }

  /** A random member bets a random amount on a random option of a random open market, through its buttons. */
  private async betOnce(untouched: Set<number>): Promise<boolean> {
    const member = this.pick(this.members);
    const messages = this.mock.emu
      .messagesIn(this.mock.channel.id)
      .filter((message) => buttonsOf(message).some((b) => b.custom_id.startsWith('mkt:bet:') && !b.disabled));
    const marketOf = (message: Json) => Number(buttonsOf(message)[0]?.custom_id.split(':')[2]);
    const fresh = messages.filter((message) => untouched.has(marketOf(message)));
    const message = fresh[0] ?? this.pick(messages.slice(-8));
    if (message) untouched.delete(marketOf(message));
    if (!member || !message) return false;
    const bet = this.pick(buttonsOf(message).filter((b) => b.custom_id.startsWith('mkt:bet:')));
    if (!bet) return false;
    const amount = this.pick(await this.affordableAmounts(member)) ?? AMOUNTS[0]!;
    const click = await this.mock.emu.clickButton({
      guildId: this.mock.guild.id,
      channelId: this.mock.channel.id,
      userId: member.id,
      messageId: String(message.id),
      customId: bet.custom_id,
    });
    const form = await answerOf(this.mock, click.token);
    const modalId = (form.body as { data?: { custom_id?: string } }).data?.custom_id;
    if ((form.body as { type?: number }).type !== 9 || !modalId) return false;
    const submitted = await this.mock.emu.submitModal({
      guildId: this.mock.guild.id,
      channelId: this.mock.channel.id,
      userId: member.id,
      customId: modalId,
      fields: { amount: String(amount) },
    });
    const quote = await answerOf(this.mock, submitted.token);
    const confirm = buttonsOf((quote.body as { data?: unknown }).data).find((b) =>
      b.custom_id.startsWith('mkt:confirm:'),
    );
    const quoteMessage = this.mock.emu.interactionResponses(submitted.interactionId)[0]?.messageId;
    if (!confirm || !quoteMessage) return false;
    const confirmed = await this.mock.emu.clickButton({
      guildId: this.mock.guild.id,
      channelId: this.mock.channel.id,
      userId: member.id,
      messageId: quoteMessage,
      customId: confirm.custom_id,
    });
    const done = await answerOf(this.mock, confirmed.token);
    return JSON.stringify(done.body).includes('✅');
  }

  /**
   * The bet sizes the member can pay for; one who cannot pay for the smallest is first given TOP_UP points by the
   * admin, through `/points give` (audited, as any grant).
   */
  private async affordableAmounts(member: EmulatedUser): Promise<number[]> {
    const { balance } = await this.queries.portfolio(this.mock.guild.id, member.id);
    const affordable = AMOUNTS.filter((amount) => amount <= balance);
    if (affordable.length > 0) return affordable;
    await this.slash(
      this.admin,
      'give',
      [
        { type: 6, name: 'user', value: member.id },
        { type: 4, name: 'amount', value: TOP_UP },
        { type: 3, name: 'reason', value: 'mock mode: the simulated crowd ran out of points' },
      ],
      'points',
    );
    return AMOUNTS;
  }
}
