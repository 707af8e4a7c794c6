import { describeTime } from '../format/time';

/** A relative time ("5 minutes ago") with the full local time in the configured zone as its tooltip. */
export function TimeLabel({ iso, now, timezone }: { iso: string; now: Date; timezone: string }) {
  const { relative, absolute } = describeTime(iso, now, timezone);
  return (
    <time dateTime={iso} title={absolute}>
      {relative}
    </time>
  );
}
