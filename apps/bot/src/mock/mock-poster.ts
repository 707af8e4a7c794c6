import type { Logger } from '@coachwire/config';
import { generateMockPlans, type MockPlan, type PlanService } from '@coachwire/core';
import { type AttachmentInput, type Json, makePng } from '@coachwire/discord-emulator';
import type { MockDiscord } from './mock-discord.js';

/** Days of backlog posted at start. */
const BACKLOG_DAYS = 7;
const REPLY_TIMEOUT_MS = 15_000;

/**
 * The simulated coaches: they post the mock data provider's plans through the emulator as real messages and
 * slash commands, so every plan goes through the same pipeline as on Discord.
 */
export class MockPlanPoster {
  private timer: NodeJS.Timeout | undefined;
  private tick = 0;
  private busy: Promise<void> = Promise.resolve();
  private readonly lastMessages = new Map<string, { id: string; text: string }>();

  constructor(
    private readonly mock: MockDiscord,
    private readonly service: PlanService,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Posts the backlog: past days with `/plan post date:`, today with `!plan` messages. */
  async postBacklog(): Promise<number> {
    const today = this.service.today();
    // Today always gets plans, weekend or not, so a first look at the API shows something.
    const plans = generateMockPlans({
      coaches: this.service.coaches,
      endDate: today,
      days: BACKLOG_DAYS,
      alwaysIncludeEndDate: true,
    });
    for (const plan of plans) {
      if (plan.tradingDate === today) await this.postMessage(plan.coach, plan.text, chartsOf(plan));
      else await this.postSlash(plan);
    }
    this.logger.info({ plans: plans.length }, 'mock backlog posted');
    return plans.length;
  }

  /** Every `intervalSeconds`, one coach posts a new plan or edits their last message. */
  startSimulation(intervalSeconds: number): void {
    this.timer = setInterval(() => {
      this.busy = this.busy
        .then(() => this.simulateOnce())
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

  private async simulateOnce(): Promise<void> {
    const coaches = this.service.coaches;
    const coach = coaches[this.tick % coaches.length];
    this.tick++;
    if (!coach) return;
    const last = this.lastMessages.get(coach.id);
    const today = this.service.today();
    const fresh = generateMockPlans({
      coaches: [coach],
      endDate: today,
      days: 1,
      seed: Date.now(),
      alwaysIncludeEndDate: true,
    }).at(-1);
    if (last && this.tick % 2 === 0) {
      const text = `${last.text}\n• Update ${new Date().toISOString().slice(11, 16)} UTC: levels holding.`;
      await this.mock.emu.editMessage(
        this.mock.channel.id,
        last.id,
        `${this.prefix}plan ${coach.id}: ${text}`,
      );
      this.lastMessages.set(coach.id, { id: last.id, text });
      this.logger.info({ coach: coach.id }, 'mock coach edited a plan message');
    } else if (fresh) {
      await this.postMessage(coach.id, fresh.text, chartsOf(fresh));
      this.logger.info({ coach: coach.id }, 'mock coach posted a plan');
    }
  }

  private async postMessage(coachId: string, text: string, attachments: AttachmentInput[]): Promise<void> {
    const author = this.mock.coachUsers.get(coachId);
    if (!author) return;
    const message = await this.mock.emu.sendMessage({
      channelId: this.mock.channel.id,
      authorId: author.id,
      content: `${this.prefix}plan ${coachId}: ${text}`,
      attachments,
    });
    this.lastMessages.set(coachId, { id: String(message.id), text });
    await this.mock.emu.waitForCall(
      (call) =>
        call.route === 'POST /channels/:channelId/messages' &&
        (call.body as { message_reference?: { message_id?: string } }).message_reference?.message_id ===
          message.id,
      { timeoutMs: REPLY_TIMEOUT_MS },
    );
  }

  private async postSlash(plan: MockPlan): Promise<void> {
    const author = this.mock.coachUsers.get(plan.coach);
    if (!author) return;
    const chartOptions: Json[] = chartsOf(plan).map((file, index) => {
      const attachment = this.mock.emu.uploadAttachment(this.mock.channel.id, file);
      return { type: 11, name: `chart${index + 1}`, value: String(attachment.id) };
    });
    const { token } = await this.mock.emu.invokeSlashCommand({
      guildId: this.mock.guild.id,
      channelId: this.mock.channel.id,
      userId: author.id,
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
    await this.mock.emu.waitForCall(
      (call) => call.path.includes(token) && call.method !== 'POST' && call.status < 300,
      { timeoutMs: REPLY_TIMEOUT_MS },
    );
  }
}

function chartsOf(plan: MockPlan): AttachmentInput[] {
  return plan.charts.map((chart) => ({
    filename: chart.filename,
    contentType: 'image/png',
    data: makePng(chart.width, chart.height),
    width: chart.width,
    height: chart.height,
  }));
}
