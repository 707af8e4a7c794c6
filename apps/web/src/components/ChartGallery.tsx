import { useRef, useState } from 'react';
import type { Chart } from '../api/types';

/** Chart thumbnails; each opens full size in a modal dialog (Escape or the button closes it). */
export function ChartGallery({ charts, coachName }: { charts: readonly Chart[]; coachName: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState<Chart | null>(null);
  if (charts.length === 0) return null;
  const show = (chart: Chart) => {
    setOpen(chart);
    dialog.current?.showModal();
  };
  return (
    <>
      <ul className="charts" aria-label={`${coachName}'s charts`}>
        {charts.map((chart, index) => (
          <li key={chart.id}>
            <button type="button" className="chart-thumb" onClick={() => show(chart)}>
              <img
                src={chart.url}
                alt={`Chart ${index + 1} of ${charts.length}: ${chart.filename}`}
                loading="lazy"
                decoding="async"
                width={chart.width ?? undefined}
                height={chart.height ?? undefined}
              />
            </button>
          </li>
        ))}
      </ul>
      <dialog
        ref={dialog}
        className="chart-dialog"
        onClose={() => setOpen(null)}
        aria-label="Chart, full size"
      >
        {open ? (
          <>
            <form method="dialog" className="dialog-bar">
              <a href={open.url} target="_blank" rel="noopener noreferrer">
                Open image in a new tab
              </a>
              <button type="submit">Close</button>
            </form>
            <img src={open.url} alt={`Chart: ${open.filename}, full size`} />
          </>
        ) : null}
      </dialog>
    </>
  );
}
