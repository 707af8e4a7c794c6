import { type CoachwireConfig, coachesFromConfig } from '@coachwire/config';
import { type Clock, type PlanRepository, PlanService } from '@coachwire/core';

/** The repositories services are built on; tests may pass in-memory ones. */
export interface ServiceRepositories {
  readonly plans: PlanRepository;
}

/** Every domain service a process may use, configured from one configuration. */
export interface CoachwireServices {
  readonly plans: PlanService;
  // Market services join here (the markets factory, wired with its repositories), so every process gets them alike.
}

/**
 * The one place configuration becomes services. A new service, or a new option of one, is added here and
 * nowhere else; the bot, the API, the CLI and the test fixtures all get their services from this function.
 */
export function createServices(options: {
  readonly config: CoachwireConfig;
  readonly repositories: ServiceRepositories;
  readonly clock: Clock;
}): CoachwireServices {
  const { config, clock } = options;
  const plans = new PlanService({
    repository: options.repositories.plans,
    coaches: coachesFromConfig(config),
    timezone: config.timezone,
    clock,
    admins: { userIds: config.admins.user_ids, roleIds: config.admins.role_ids },
    maxCharts: config.discord.max_chart_attachments,
    editWindowMinutes: config.discord.edit_window_minutes,
  });
  return { plans };
}
