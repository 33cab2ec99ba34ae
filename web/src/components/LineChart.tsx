// A line chart over time or over an index (uPlot: small, fast, canvas). Screen readers get the
// label and the latest value; the numbers are also in a table beside each chart.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  colour: string;
}

export function LineChart({
  title,
  x,
  series,
  time = true,
  height = 200,
  yRange,
}: {
  title: string;
  x: number[];
  series: Series[];
  time?: boolean;
  height?: number;
  /** A fixed y range (e.g. 0-100 for a percentage); else fitted to the data. */
  yRange?: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 240),
        height,
        scales: {
          // One point alone would make a zero-width range: widen it by a day (or by 1 on an index).
          x: {
            time,
            range: (_u, min, max) =>
              min === max ? [min - (time ? 86_400 : 1), max + (time ? 86_400 : 1)] : [min, max],
          },
          y: yRange ? { range: yRange } : {},
        },
        axes: [
          { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
          { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
        ],
        series: [
          {},
          ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, points: { show: x.length < 40 } })),
        ],
      },
      [x, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(el.clientWidth, 240), height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, time, height, yRange]);
  const last = series.map((s) => `${s.label} ${String(s.values.at(-1) ?? 'none')}`).join(', ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${x.length} points; latest ${last}`} />
    </figure>
  );
}
