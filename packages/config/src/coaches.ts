import type { Coach } from '@coachwire/core';
import type { CoachwireConfig } from './schema.js';

/** The configured coaches as core's `Coach` (snake_case lists renamed to what the domain calls them). */
export function coachesFromConfig(config: CoachwireConfig): Coach[] {
  return config.coaches.map((coach) => ({
    id: coach.id,
    name: coach.name,
    allowedRoleIds: [...coach.role_ids],
    allowedUserIds: [...coach.user_ids],
  }));
}
