import { type Coach, mockCoachAuthor, mockDiscordId } from '@coachwire/core';
import {
  DiscordEmulator,
  type EmulatedChannel,
  type EmulatedGuild,
  type EmulatedUser,
} from '@coachwire/discord-emulator';

/**
 * The emulated Discord of mock mode: one guild, a #trading-plans channel, one member per coach, and `you`, the
 * member a person speaks as through `coachwire say`.
 */
export interface MockDiscord {
  readonly emu: DiscordEmulator;
  readonly guild: EmulatedGuild;
  readonly channel: EmulatedChannel;
  /** The simulated member who posts each coach's plans, by coach id. */
  readonly coachUsers: ReadonlyMap<string, EmulatedUser>;
  /** The member `coachwire say` posts as (no roles, like any newcomer). */
  readonly you: EmulatedUser;
}

/**
 * What the emulator keeps of each kind of history (REST calls, messages per channel, interactions). Mock mode
 * runs for days and posts every `mock.post_interval_seconds`: kept whole, that history grew without end. The
 * newest 2,000 messages span hours of posts, far longer than a mock market stays open.
 */
export const MOCK_HISTORY_LIMIT = 2000;

/**
 * Starts the in-process emulator and populates it. Every id is fixed (core's mockDiscordId): plans record their
 * author's id, and the coaches of the next run must be the same users or every post of theirs is refused.
 */
export async function startMockDiscord(coaches: readonly Coach[]): Promise<MockDiscord> {
  const emu = await DiscordEmulator.start({
    botUser: { id: mockDiscordId('bot'), username: 'Coachwire (mock)' },
    historyLimit: MOCK_HISTORY_LIMIT,
  });
  const owner = emu.createUser({ id: mockDiscordId('owner'), username: 'mock_owner' });
  const guild = emu.createGuild({ id: mockDiscordId('guild'), name: 'Coachwire Mock', ownerId: owner.id });
  const channel = emu.createChannel(guild.id, {
    id: mockDiscordId('channel/trading-plans'),
    name: 'trading-plans',
  });
  const coachUsers = new Map<string, EmulatedUser>();
  for (const coach of coaches) {
    const author = mockCoachAuthor(coach.id);
    const user = emu.createUser({ id: author.id, username: author.name, globalName: coach.name });
    emu.addMember(guild.id, user.id);
    coachUsers.set(coach.id, user);
  }
  const you = emu.createUser({ id: mockDiscordId('member/you'), username: 'you' });
  emu.addMember(guild.id, you.id);
  return { emu, guild, channel, coachUsers, you };
}
