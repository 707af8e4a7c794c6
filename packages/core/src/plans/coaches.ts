import { ValidationError } from '../shared/errors.js';
import type { Coach } from './types.js';

/** The four coaches of the system Coachwire replaces; configuration may replace the list. */
export const DEFAULT_COACHES: readonly Coach[] = [
  { id: 'd', name: 'Coach D (Day Trading)', allowedRoleIds: [], allowedUserIds: [] },
  { id: 'i', name: 'Coach I (Intraday)', allowedRoleIds: [], allowedUserIds: [] },
  { id: 's', name: 'Coach S (Swing)', allowedRoleIds: [], allowedUserIds: [] },
  { id: 'n', name: 'Coach N (News/Events)', allowedRoleIds: [], allowedUserIds: [] },
];

/** Canonical form of a coach token: trimmed, lower case, with an optional `coach_` prefix removed. */
export function normalizeCoachToken(input: string): string {
  const token = input.trim().toLowerCase();
  return token.startsWith('coach_') ? token.slice('coach_'.length) : token;
}

/** The message the old API used for an unknown coach; kept word for word. */
export function invalidCoachMessage(input: string, coaches: readonly Coach[]): string {
  return `Invalid coach name '${input}'. Valid coaches: ${coaches.map((coach) => coach.id).join(', ')}`;
}

/** Finds a coach case-insensitively (`D`, ` d `, `coach_d`), or throws VALIDATION naming the valid ones. */
export function resolveCoach(input: string, coaches: readonly Coach[]): Coach {
  const id = normalizeCoachToken(input);
  const coach = coaches.find((candidate) => candidate.id === id);
  if (!coach) throw new ValidationError(invalidCoachMessage(input.trim(), coaches), 'coach');
  return coach;
}

/** The legacy key of a coach in JSON maps, e.g. `coach_d`. */
export function legacyCoachKey(coachId: string): string {
  return `coach_${coachId}`;
}
