export {
  type BotCommand,
  type CommandDefinition,
  defineCommand,
  type Precondition,
} from './commands/bot-command.js';
export { deletePlan } from './commands/delete.js';
export { editPlan } from './commands/edit.js';
export { help } from './commands/help.js';
export { planHistory } from './commands/history.js';
export type { Invocation } from './commands/invocation.js';
export { listPlans } from './commands/list.js';
export { listMyPlans } from './commands/mine.js';
export { postPlan } from './commands/post.js';
export {
  BOT_COMMANDS,
  PLAN_COMMAND_NAME,
  planCommandData,
  slashCommandData,
} from './commands/registry.js';
export { showPlan } from './commands/show.js';
export type { BotContext } from './context.js';
export { type MockBotHandle, startMockBot } from './mock/start-mock-bot.js';
export type { IncomingMessage } from './prefix/incoming-message.js';
export { handlePrefixMessage } from './prefix/prefix-commands.js';
export { handleSourceMessageEdit } from './prefix/source-message-edit.js';
export {
  type BotHandle,
  createBotContext,
  type StartBotOptions,
  startBot,
} from './start-bot.js';
export type { BotReply } from './util/bot-reply.js';
export { isTokenRejection, TokenRejectedError } from './util/login.js';
export { type RegisterCommandsOptions, registerCommands } from './util/register-commands.js';
