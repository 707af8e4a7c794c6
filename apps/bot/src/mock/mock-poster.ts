import type { Logger } from '@coachwire/config';
import {
  generateMockPlans,
  type MockPlan,
  mockPlanUpdate,
  type PlanService,
  TRADING_CALENDAR_TIMEZONE,
  tradingDayInfo,
  tradingDayOnOrAfter,
} from '@coachwire/core';
import {
  type AttachmentInput,
  type Json,
  type RecordedCall,
  renderCandlestickChart,
} from '@coachwire/discord-emulator';
import type { MockDiscord } from './mock-discord.js';

/** Calendar days of backlog posted at start (their trading days get plans). */
const BACKLOG_DAYS = 7;
const REPLY_TIMEOUT_MS = 15_000;

/** What became of one simulated post or edit: only `saved` means the bot stored it. */
export type MockPostOutcome =
  | { readonly saved: true; readonly coach: string; readonly tradingDate: string }
  | { readonly saved: false; readonly coach: string; readonly tradingDate: string; readonly reason: string };

/**
 * The simulated coaches: they post the mock data provider's plans through the emulator as real messages and
 * slash commands, so every plan goes through the same pipeline as on Discord. They post for the NYSE trading
 * day: on a weekend or holiday, for the next one, as coaches prepare it.
 */
export class MockPlanPoster {
  private timer: NodeJS.Timeout | undefined;
  private tick = 0;
  private busy: Promise<void> = Promise.resolve();
  private announcedFor: string | undefined;
  /** The text of each coach's last saved plan, and its date. */
  private readonly lastPlans = new Map<string, { tradingDate: string; text: string }>();

  constructor(
    private readonly mock: MockDiscord,
    private readonly service: PlanService,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** The date simulated coaches post for: today when NYSE trades, else the next trading day (said once in the log). */
  planDate(): string {
    const today = this.service.today();
    const planDate = tradingDayOnOrAfter(today);
    if (planDate !== today && this.announcedFor !== today) {
      this.announcedFor = today;
      const reason = tradingDayInfo(today).holiday ?? 'a weekend';
      this.logger.info(
        { today, planDate, reason },
        `mock today ${today} is not an NYSE trading day (${reason}); simulated coaches post plans for ${planDate}`,
      );
    }
    return planDate;
  }

  /** Posts the backlog: past trading days with `/plan post date:`, today with `!plan` messages. */
  async postBacklog(): Promise<{ saved: number; refused: number }> {
    const plans = generateMockPlans({
      coaches: this.service.coaches,
      endDate: this.planDate(),
      days: BACKLOG_DAYS,
    });
    let saved = 0;
    for (const plan of plans) {
      const outcome = await this.post(plan);
      if (outcome.saved) saved++;
      else this.logRefusal(outcome);
    }
    this.logger.info({ plans: plans.length, saved, refused: plans.length - saved }, 'mock backlog posted');
    return { saved, refused: plans.length - saved };
  }

  /** Every `intervalSeconds`, one coach posts a new plan or updates their last one. */
  startSimulation(intervalSeconds: number): void {
    this.timer = setInterval(() => {
      this.busy = this.busy
        .then(() => this.simulateOnce())
        .then(() => undefined)
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'mock post failed');
        });
    }, intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Stops the simulation and waits for the post under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }

  /** One step of the simulation: the next coach posts a fresh plan or adds an update to their last one. */
  async simulateOnce(): Promise<MockPostOutcome | undefined> {
    const coaches = this.service.coaches;
    const coach = coaches[this.tick % coaches.length];
    this.tick++;
    if (!coach) return undefined;
    const tradingDate = this.planDate();
    const last = this.lastPlans.get(coach.id);
    let outcome: MockPostOutcome;
    let action: string;
    if (last?.tradingDate === tradingDate && this.tick % 2 === 0) {
      const time = new Date()
        .toLocaleTimeString('en-GB', { timeZone: TRADING_CALENDAR_TIMEZONE })
        .slice(0, 5);
      const text = mockPlanUpdate(last.text, time);
      outcome = await this.editMessage(coach.id, tradingDate, text);
      action = 'mock coach updated a plan';
    } else {
      const [fresh] = generateMockPlans({
        coaches: [coach],
        endDate: tradingDate,
        days: 1,
        seed: Date.now(),
      });
      if (!fresh) return undefined;
      outcome = await this.post(fresh);
      action = 'mock coach posted a plan';
    }
    if (outcome.saved) this.logger.info({ coach: coach.id, tradingDate }, action);
    else this.logRefusal(outcome);
    return outcome;
  }

  private logRefusal(outcome: MockPostOutcome): void {
    if (outcome.saved) return;
    this.logger.warn(
      { coach: outcome.coach, tradingDate: outcome.tradingDate, reason: outcome.reason },
      'the bot refused a mock post; nothing was saved',
    );
  }

  /** Today's plans go in as `!plan` messages, other dates through `/plan post date:`. */
  private post(plan: MockPlan): Promise<MockPostOutcome> {
    return plan.tradingDate === this.service.today() ? this.postMessage(plan) : this.postSlash(plan);
  }

  private async postMessage(plan: MockPlan): Promise<MockPostOutcome> {
    const author = this.authorOf(plan.coach);
    const message = await this.mock.emu.sendMessage({
      channelId: this.mock.channel.id,
      authorId: author,
      content: `${this.prefix}plan ${plan.coach}: ${plan.text}`,
      attachments: chartsOf(plan),
    });
    const reply = await this.messageReply(String(message.id));
    return this.outcome(plan.coach, plan.tradingDate, plan.text, reply);
  }

  private async editMessage(coach: string, tradingDate: string, text: string): Promise<MockPostOutcome> {
    const message = await this.mock.emu.sendMessage({
      channelId: this.mock.channel.id,
      authorId: this.authorOf(coach),
      content: `${this.prefix}edit ${coach} ${tradingDate} ${text}`,
    });
    const reply = await this.messageReply(String(message.id));
    return this.outcome(coach, tradingDate, text, reply);
  }

  private async postSlash(plan: MockPlan): Promise<MockPostOutcome> {
    const chartOptions: Json[] = chartsOf(plan).map((file, index) => {
      const attachment = this.mock.emu.uploadAttachment(this.mock.channel.id, file);
      return { type: 11, name: `chart${index + 1}`, value: String(attachment.id) };
    });
    const { token } = await this.mock.emu.invokeSlashCommand({
      guildId: this.mock.guild.id,
      channelId: this.mock.channel.id,
      userId: this.authorOf(plan.coach),
      commandName: 'plan',
      options: [
        {
          type: 1,
          name: 'post',
          options: [
            { type: 3, name: 'coach', value: plan.coach },
            { type: 3, name: 'text', value: plan.text },
            { type: 3, name: 'date', value: plan.tradingDate },
            ...chartOptions.slice(0, 4),
          ],
        },
      ],
    });
    const reply = await this.mock.emu.waitForCall((call) => isFinalInteractionCall(call, token), {
      timeoutMs: REPLY_TIMEOUT_MS,
    });
    return this.outcome(plan.coach, plan.tradingDate, plan.text, reply);
  }

  private messageReply(messageId: string): Promise<RecordedCall> {
    return this.mock.emu.waitForReply(messageId, { timeoutMs: REPLY_TIMEOUT_MS });
  }

  /** Saved only when the bot's answer is no refusal and the stored plan is now this coach's with this text. */
  private async outcome(
    coach: string,
    tradingDate: string,
    text: string,
    reply: RecordedCall,
  ): Promise<MockPostOutcome> {
    const answer = replyText(reply.body);
    const stored = await this.service.find(coach, tradingDate);
    const saved =
      !answer.startsWith('⚠️') && stored?.author.id === this.authorOf(coach) && stored.text === text.trim();
    if (!saved) return { saved, coach, tradingDate, reason: answer.split('\n')[0] || 'no change was stored' };
    this.lastPlans.set(coach, { tradingDate, text: text.trim() });
    return { saved, coach, tradingDate };
  }

  private authorOf(coach: string): string {
    const user = this.mock.coachUsers.get(coach);
    if (!user) throw new Error(`mock mode has no simulated user for coach '${coach}'`);
    return user.id;
  }
}

/** The call carrying an interaction's final answer: a reply callback, or the edit of a deferred reply. */
function isFinalInteractionCall(call: RecordedCall, token: string): boolean {
  if (!call.path.includes(token) || call.status >= 300) return false;
  if (call.route === 'POST /interactions/:interactionId/:token/callback')
    return (call.body as { type?: number }).type === 4;
  return (
    call.route === 'PATCH /webhooks/:applicationId/:token/messages/@original' ||
    call.route === 'POST /webhooks/:applicationId/:token'
  );
}

/** The text of a message body the bot sent: content first, then embed titles. */
function replyText(body: unknown): string {
  const message = body as { content?: string; data?: { content?: string }; embeds?: { title?: string }[] };
  const parts = [
    message.content,
    message.data?.content,
    ...(message.embeds ?? []).map((embed) => embed.title),
  ];
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n');
}

/** The plan's charts as PNG screenshots: candles and the plan's levels, drawn by the emulator. */
function chartsOf(plan: MockPlan): AttachmentInput[] {
  return plan.charts.map((chart) => ({
    filename: chart.filename,
    contentType: 'image/png',
    data: renderCandlestickChart(chart),
    width: chart.width,
    height: chart.height,
  }));
}
