/**
 * Ledger accounts of one guild, named by key: the house (mint; may go negative), the rounding account (dust
 * from settlements), one escrow per market and one account per user.
 */
export type AccountKey = 'house' | 'rounding' | `escrow:${number}` | `user:${string}`;
export type AccountKind = 'house' | 'rounding' | 'escrow' | 'user';

export const HOUSE_ACCOUNT: AccountKey = 'house';
export const ROUNDING_ACCOUNT: AccountKey = 'rounding';

export function userAccount(userId: string): AccountKey {
  return `user:${userId}`;
}

export function escrowAccount(marketId: number): AccountKey {
  return `escrow:${marketId}`;
}

export function accountKind(key: AccountKey): AccountKind {
  if (key === 'house' || key === 'rounding') return key;
  return key.startsWith('escrow:') ? 'escrow' : 'user';
}

/** Only the house may hold a negative balance; everyone else's balance is checked before each debit. */
export function mayGoNegative(key: AccountKey): boolean {
  return key === HOUSE_ACCOUNT;
}

/** Why points moved. Minting kinds come from the house; the rest move between users and escrows. */
export const TRANSFER_KINDS = [
  'starting_grant',
  'daily',
  'admin_grant',
  'admin_removal',
  'subsidy',
  'bet',
  'sell',
  'payout',
  'lp_return',
  'refund',
  'dust',
  'reversal',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** A movement of points as a decision asks for it; storage gives it an id and a time. */
export interface TransferDraft {
  readonly from: AccountKey;
  readonly to: AccountKey;
  /** Integer > 0. */
  readonly amount: number;
  readonly kind: TransferKind;
  readonly marketId: number | null;
  /** Which settlement of the market this belongs to (payouts, refunds, dust and their reversals). */
  readonly settlement: number | null;
  /** The transfer this one reverses. */
  readonly reverses: number | null;
  readonly memo: string | null;
}

/** A stored transfer. */
export interface Transfer extends TransferDraft {
  readonly id: number;
  readonly guildId: string;
  readonly createdAt: string;
}
