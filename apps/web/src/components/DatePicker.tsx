import { addDays, formatTradingDate } from '../format/time';

interface DatePickerProps {
  readonly date: string;
  readonly today: string;
  /** The last date offered: today, or later when plans were posted ahead (for the next trading day). */
  readonly last: string;
  readonly onChange: (date: string) => void;
}

/** The shown trading date: previous/next day (up to `last`), a calendar input, and back to today. */
export function DatePicker({ date, today, last, onChange }: DatePickerProps) {
  return (
    <nav className="date-picker" aria-label="Trading date">
      <button type="button" onClick={() => onChange(addDays(date, -1))} aria-label="Previous day">
        ← <span className="hide-narrow">Previous</span>
      </button>
      <label>
        <span className="visually-hidden">Trading date</span>
        <input
          type="date"
          value={date}
          max={last}
          onChange={(event) => {
            if (/^\d{4}-\d{2}-\d{2}$/.test(event.target.value)) onChange(event.target.value);
          }}
        />
      </label>
      <button
        type="button"
        onClick={() => onChange(addDays(date, 1))}
        disabled={date >= last}
        aria-label="Next day"
      >
        <span className="hide-narrow">Next</span> →
      </button>
      {date !== today ? (
        <button type="button" onClick={() => onChange(today)}>
          Today
        </button>
      ) : null}
      <span className="visually-hidden" aria-live="polite">
        Showing {formatTradingDate(date)}
      </span>
    </nav>
  );
}
