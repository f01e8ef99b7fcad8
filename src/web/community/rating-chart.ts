/** A rating after a game, as the player page's chart draws it. */
export interface ChartPoint {
  readonly gameId: number;
  readonly before: number;
  readonly after: number;
}

export interface ChartGeometry {
  /** The SVG path of the line (`M x y L x y ...`), empty when there is nothing to draw. */
  readonly path: string;
  /** Each point's dot: x and y in the chart's box, with the rating it shows. */
  readonly dots: ReadonlyArray<{
    readonly x: number;
    readonly y: number;
    readonly rating: number;
    readonly gameId: number;
  }>;
  /** Horizontal guide lines: a round rating and its y. */
  readonly ticks: ReadonlyArray<{ readonly y: number; readonly rating: number }>;
  readonly low: number;
  readonly high: number;
}

/** Round steps for the guide lines, the first that gives at most five lines. */
const STEPS = [10, 25, 50, 100, 200, 250, 500, 1000];

/**
 * Where a rating history goes in a `width`×`height` box (with `margin` inside
 * it): the line starts at the rating before the first game, then one point
 * per game; the vertical scale fits the ratings with some room, and guide
 * lines fall on round ratings. Pure, so the scale is tested without a browser.
 */
export function chartGeometry(
  points: readonly ChartPoint[],
  width: number,
  height: number,
  margin = 24,
): ChartGeometry {
  const first = points[0];
  if (!first) return { path: '', dots: [], ticks: [], low: 0, high: 0 };
  const ratings = [first.before, ...points.map((point) => point.after)];
  const span = Math.max(...ratings) - Math.min(...ratings);
  const pad = Math.max(10, span * 0.1);
  const low = Math.floor(Math.min(...ratings) - pad);
  const high = Math.ceil(Math.max(...ratings) + pad);
  const x = (index: number) => margin + ((width - 2 * margin) * index) / Math.max(1, ratings.length - 1);
  const y = (rating: number) => margin + ((height - 2 * margin) * (high - rating)) / (high - low);
  const path = ratings.map(
    (rating, index) => `${index === 0 ? 'M' : 'L'}${x(index).toFixed(1)} ${y(rating).toFixed(1)}`,
  );
  const dots = points.map((point, index) => ({
    x: x(index + 1),
    y: y(point.after),
    rating: point.after,
    gameId: point.gameId,
  }));
  const step = STEPS.find((candidate) => (high - low) / candidate <= 5) ?? 1000;
  const ticks: Array<{ y: number; rating: number }> = [];
  for (let rating = Math.ceil(low / step) * step; rating <= high; rating += step) ticks.push({ y: y(rating), rating });
  return { path: path.join(' '), dots, ticks, low, high };
}
