import { isValidTradingDate } from './dates.js';
import { ValidationError } from './errors.js';

/** A keyset position in the (trading date desc, id desc) ordering. */
export interface PlanCursor {
  readonly tradingDate: string;
  readonly id: number;
}

/** Opaque, URL-safe cursor for the next page. */
export function encodeCursor(cursor: PlanCursor): string {
  return Buffer.from(`${cursor.tradingDate}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor from `encodeCursor`, or throws VALIDATION. */
export function decodeCursor(value: string): PlanCursor {
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  const [tradingDate, idText, ...rest] = decoded.split('|');
  const id = Number(idText);
  if (
    rest.length > 0 ||
    !tradingDate ||
    !isValidTradingDate(tradingDate) ||
    !Number.isSafeInteger(id) ||
    id < 1
  ) {
    throw new ValidationError(
      'Invalid cursor. Pass the next_cursor value of the previous page unchanged.',
      'cursor',
    );
  }
  return { tradingDate, id };
}
