import { MAX_GRANT, ValidationError } from '@coachwire/core';
import { textReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';
import { formatPoints, mention, requestOf } from '../markets/market-request.js';

interface GiveArgs {
  readonly userId: string;
  readonly amount: number;
  readonly reason: string;
}

/** `/points give user amount reason`: an admin grants (or, with a negative amount, removes) points; audited. */
export const giveCommand = defineCommand<GiveArgs>({
  preconditions: ['listening-here', 'admins-only'],
  slash: {
    group: 'points',
    name: 'give',
    description: 'Admins: grant (or remove, with a negative amount) points, with a reason',
    usage: '/points give user:<member> amount:<points> reason:<why>',
    ephemeral: false,
    build: (builder) =>
      builder
        .addUserOption((option) => option.setName('user').setDescription('Who').setRequired(true))
        .addIntegerOption((option) =>
          option
            .setName('amount')
            .setDescription('Points (negative removes)')
            .setRequired(true)
            .setMinValue(-MAX_GRANT)
            .setMaxValue(MAX_GRANT),
        )
        .addStringOption((option) =>
          option
            .setName('reason')
            .setDescription('Why (kept in the audit log)')
            .setRequired(true)
            .setMaxLength(200),
        ),
    read: (options) => {
      const user = options.user('user');
      const amount = options.integer('amount');
      const reason = options.string('reason')?.trim() ?? '';
      if (!user) throw new ValidationError('Name the member to give points to.', 'user');
      if (amount === null || amount === 0) throw new ValidationError('The amount must not be 0.', 'amount');
      if (reason === '') throw new ValidationError('Give a reason; it is kept in the audit log.', 'reason');
      return { userId: user.id, amount, reason };
    },
  },
  async execute(context, invocation, { userId, amount, reason }) {
    const result = await context.points.grant(
      invocation.actor,
      requestOf(invocation),
      userId,
      amount,
      reason,
    );
    const what =
      amount > 0
        ? `gave ${mention(userId)} ${formatPoints(amount)}`
        : `took ${formatPoints(-amount)} from ${mention(userId)}`;
    return textReply(
      `🪙 ${invocation.actor.name} ${what} (${reason}). New balance: ${formatPoints(result.balance)}.`,
    );
  },
});
