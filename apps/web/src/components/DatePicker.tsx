import { useRef } from 'react';
import { addDays, formatTradingDate } from '../format/time';

interface DatePickerProps {
  readonly date: string;
  readonly today: string;
  /** The last date offered: today, or later when plans were posted ahead (for the next trading day). */
  readonly last: string;
  /**
   * `replace`: the date is a later step of one edit of the date field (typing 2026 passes through 0002, 0020
   * and 0202), which replaces the history entry of the edit's first step rather than adding one per keystroke.
   */
  readonly onChange: (date: string, options?: { replace: boolean }) => void;
}

/** The shown trading date: previous/next day (up to `last`), a calendar input, and back to today. */
export function DatePicker({ date, today, last, onChange }: DatePickerProps) {
  // True from the date field's first change until it loses focus: one edit, one history entry.
  const editing = useRef(false);
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
            if (!/^\d{4}-\d{2}-\d{2}$/.test(event.target.value)) return;
            onChange(event.target.value, { replace: editing.current });
            editing.current = true;
          }}
          onBlur={() => {
            editing.current = false;
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
