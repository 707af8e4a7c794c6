export type { RecordedCall, WaitOptions } from './call-recorder.js';
export {
  type CandlestickChartInput,
  type ChartCandle,
  type ChartLevel,
  renderCandlestickChart,
} from './chart-image.js';
export { commandListErrors } from './command-limits.js';
export { DiscordEmulator, type EmulatorOptions } from './emulator.js';
export type {
  EmulatedChannel,
  EmulatedGuild,
  EmulatedMember,
  EmulatedRole,
  EmulatedUser,
  Json,
} from './entities.js';
export type { FailureOptions } from './failure-injector.js';
export type { FormErrors } from './form-errors.js';
export type { InteractionInput, InteractionResponseRecord, SlashCommandInput } from './interactions.js';
export type { AttachmentInput } from './messages.js';
export { ALL_PERMISSIONS, computeMemberPermissions, Permission } from './permissions.js';
export { crc32, encodeRgbPng, makePng } from './png.js';
export type { RateLimitOptions } from './rate-limit-injector.js';
