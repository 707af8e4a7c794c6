import type { Coach } from '@coachwire/core';
import {
  DiscordEmulator,
  type EmulatedChannel,
  type EmulatedGuild,
  type EmulatedUser,
} from '@coachwire/discord-emulator';

/** The emulated Discord of mock mode: one guild, a #trading-plans channel and one member per coach. */
export interface MockDiscord {
  readonly emu: DiscordEmulator;
  readonly guild: EmulatedGuild;
  readonly channel: EmulatedChannel;
  /** The simulated member who posts each coach's plans, by coach id. */
  readonly coachUsers: ReadonlyMap<string, EmulatedUser>;
}

/** Starts the in-process emulator and populates it. */
export async function startMockDiscord(coaches: readonly Coach[]): Promise<MockDiscord> {
  const emu = await DiscordEmulator.start({ botUser: { username: 'Coachwire (mock)' } });
  const owner = emu.createUser({ username: 'mock_owner' });
  const guild = emu.createGuild({ name: 'Coachwire Mock', ownerId: owner.id });
  const channel = emu.createChannel(guild.id, { name: 'trading-plans' });
  const coachUsers = new Map<string, EmulatedUser>();
  for (const coach of coaches) {
    const user = emu.createUser({ username: `coach_${coach.id}_mock`, globalName: coach.name });
    emu.addMember(guild.id, user.id);
    coachUsers.set(coach.id, user);
  }
  return { emu, guild, channel, coachUsers };
}
