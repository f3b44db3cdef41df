import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartSeries = Readonly<{
  label: string;
  /** A CSS colour (a theme variable is resolved against the document). */
  color: string;
  /** 'y' (left axis) or 'y2' (right axis). */
  scale?: 'y' | 'y2';
  format: (value: number | null) => string;
}>;

export type ChartData = readonly [readonly number[], ...(readonly (number | null)[])[]];

const cssColor = (value: string): string => {
  const variable = /^var\((--[\w-]+)\)$/.exec(value)?.[1];
  if (!variable || typeof document === 'undefined') return value;
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || value;
};

/**
 * A uPlot time series chart sized to its container. The plot is built once per series layout and
 * fed new data with setData; width follows the container (ResizeObserver).
 */
export const TimeSeriesChart = ({
  title,
  series,
  data,
  height = 220,
}: Readonly<{ title: string; series: readonly ChartSeries[]; data: ChartData; height?: number }>) => {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const layout = JSON.stringify(series.map(({ label, color, scale }) => [label, color, scale]));
  const dataRef = useRef(data);
  dataRef.current = data;
  const seriesRef = useRef(series);
  seriesRef.current = series;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `layout` stands for the series' look.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const text = cssColor('var(--text-dim)');
    const grid = cssColor('var(--border)');
    const axis = (scale: 'y' | 'y2', side: 1 | 3, format: ChartSeries['format']): uPlot.Axis => ({
      scale,
      side,
      stroke: text,
      grid: { stroke: grid, width: 1, show: scale === 'y' },
      ticks: { stroke: grid, width: 1 },
      size: 70,
      values: (_u, values) => values.map((value) => format(value)),
    });
    const current = seriesRef.current;
    const right = current.find((s) => s.scale === 'y2');
    const left = current.find((s) => (s.scale ?? 'y') === 'y');
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true }, y: { auto: true }, y2: { auto: true } },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        ...(left ? [axis('y', 3, left.format)] : []),
        ...(right ? [axis('y2', 1, right.format)] : []),
      ],
      series: [
        {},
        ...current.map((s) => ({
          label: s.label,
          scale: s.scale ?? 'y',
          stroke: cssColor(s.color),
          width: 1.5,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, value: number | null) => s.format(value),
        })),
      ],
    };
    const instance = new uPlot(options, dataRef.current as uPlot.AlignedData, element);
    plot.current = instance;
    const observer = new ResizeObserver(() => {
      instance.setSize({ width: Math.max(200, element.clientWidth), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.destroy();
      plot.current = null;
    };
  }, [layout, height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div ref={container} className="chart" role="img" aria-label={title} />;
};
