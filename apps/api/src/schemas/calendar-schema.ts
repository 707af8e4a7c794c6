import { Type } from 'typebox';

export const CalendarJson = Type.Object(
  {
    timezone: Type.String({
      description: 'IANA timezone deciding what "today" is, e.g. `America/New_York`.',
    }),
    today: Type.String({ description: "Today's trading date in that timezone (YYYY-MM-DD)." }),
    now: Type.String({ description: "The server's clock, ISO-8601 UTC." }),
  },
  { title: 'Calendar' },
);
