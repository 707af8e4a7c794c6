// Discord permissions are a bitfield sent as a decimal string. Only the bits the bot cares
// about are named; the rest are passed through untouched.
export const Permission = {
  AddReactions: 1n << 6n,
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
} as const;

/** Every permission bit Discord currently defines (what an owner or administrator has). */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** What @everyone can do in a new emulated guild: read, write and use slash commands. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.ReadMessageHistory |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.AddReactions |
  Permission.UseApplicationCommands;

/** Guild-level permissions of a member: owner or Administrator get everything, else the OR of their roles. */
export function computeMemberPermissions(input: {
  isOwner: boolean;
  everyonePermissions: bigint;
  rolePermissions: bigint[];
}): bigint {
  if (input.isOwner) return ALL_PERMISSIONS;
  const combined = input.rolePermissions.reduce((all, bits) => all | bits, input.everyonePermissions);
  return combined & Permission.Administrator ? ALL_PERMISSIONS : combined;
}
