import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  /** Stable name, also the legend entry's data-series (tests read it). */
  readonly key: string;
  readonly label: string;
  /** A CSS custom property holding the line's colour, so light and dark mode each get theirs. */
  readonly colorVar: string;
  readonly values: readonly (number | null)[];
}

interface Props {
  readonly title: string;
  readonly x: readonly number[];
  readonly series: readonly Series[];
  readonly format: (value: number | null) => string;
}

/** Taller where the charts sit side by side (a laptop has the room); short enough on a phone to see both. */
const heightFor = (): number => (matchMedia('(min-width: 861px)').matches ? 240 : 180);

/** 18:37:05: short enough for a tick every 70 px. */
const clock = (seconds: number): string => new Date(seconds * 1000).toTimeString().slice(0, 8);

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function options(props: Props, width: number): uPlot.Options {
  const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid'), width: 1 }, ticks: { stroke: cssVar('--grid'), width: 1 } };
  return {
    width,
    height: heightFor(),
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
    axes: [
      { ...axis, space: 70, values: (_u, ticks) => ticks.map(clock) },
      { ...axis, size: 70, values: (_u, ticks) => ticks.map((v) => props.format(v)) },
    ],
    series: [
      {},
      ...props.series.map((s) => {
        const color = cssVar(s.colorVar);
        return { label: s.label, stroke: color, fill: `${color}22`, width: 2, points: { show: false }, spanGaps: false };
      }),
    ],
  };
}

function data(props: Props): uPlot.AlignedData {
  return [props.x as number[], ...props.series.map((s) => s.values as (number | null)[])];
}

/**
 * A uPlot line chart with a legend that states each series' latest and highest value in the
 * window: readable without seeing the lines, and what the end-to-end test reads.
 */
export function Chart(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const build = () => {
      plot.current?.destroy();
      plot.current = new uPlot(options(latest.current, element.clientWidth), data(latest.current), element);
    };
    build();
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: element.clientWidth, height: heightFor() }));
    resize.observe(element);
    // Colours come from CSS: a switch between light and dark mode redraws with the other set.
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', build);
    return () => {
      resize.disconnect();
      scheme.removeEventListener('change', build);
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data(props));
  }, [props.x.length, props.x[props.x.length - 1]]);

  return (
    <figure class="chart" aria-label={props.title}>
      <figcaption>
        <h3>{props.title}</h3>
        <dl class="legend">
          {props.series.map((s) => {
            const values = s.values.filter((v): v is number => v !== null);
            const now = s.values.length > 0 ? (s.values[s.values.length - 1] ?? null) : null;
            const peak = values.length > 0 ? Math.max(...values) : null;
            return (
              <div key={s.key} data-series={s.key} data-peak={peak ?? ''} data-now={now ?? ''}>
                <dt>
                  <span class="swatch" style={{ background: `var(${s.colorVar})` }} aria-hidden="true" />
                  {s.label}
                </dt>
                <dd>
                  <strong>{props.format(now)}</strong> <span class="muted">peak {props.format(peak)}</span>
                </dd>
              </div>
            );
          })}
        </dl>
      </figcaption>
      <div class="plot" ref={box} role="img" aria-label={`${props.title}, last ${Math.round((props.x.length || 1) / 60)} min`} />
    </figure>
  );
}
