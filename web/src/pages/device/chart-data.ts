/** A series as the API returns it: points in time order, avg null where there was no sample. */
export type SeriesPoints = readonly Readonly<{ time: string; avg: number | null }>[];

/**
 * uPlot wants one shared x axis (seconds) and one y array per series, aligned: the union of every
 * series' times, with null where a series has no point.
 */
export const alignSeries = (series: readonly SeriesPoints[]): [number[], ...(number | null)[][]] => {
  const times = new Set<number>();
  for (const points of series) for (const point of points) times.add(Date.parse(point.time) / 1000);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((points) => {
    const values: (number | null)[] = new Array(xs.length).fill(null);
    for (const point of points) {
      const at = index.get(Date.parse(point.time) / 1000);
      if (at !== undefined) values[at] = point.avg;
    }
    return values;
  });
  return [xs, ...ys];
};
