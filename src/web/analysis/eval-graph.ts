import type { MoveQuality } from './evaluation-text.js';

/** The graph's vertical range: ±5 men fill it; more is drawn at the edge. */
const RANGE = 500;

export interface GraphPoint {
  readonly x: number;
  readonly y: number;
  readonly ply: number;
  readonly quality: MoveQuality | undefined;
}

/**
 * Where a game's evaluations go in a `width`×`height` box: one point per
 * position (x by turn), Black's advantage up; pure, so that the scale is
 * tested without a browser.
 */
export function graphPoints(
  values: ReadonlyArray<number | undefined>,
  qualities: ReadonlyMap<number, MoveQuality>,
  width: number,
  height: number,
  margin = 8,
): GraphPoint[] {
  const points: GraphPoint[] = [];
  const span = Math.max(1, values.length - 1);
  values.forEach((value, ply) => {
    if (value === undefined) return;
    const clipped = Math.max(-RANGE, Math.min(RANGE, value));
    points.push({
      x: margin + ((width - 2 * margin) * ply) / span,
      y: height / 2 - ((height / 2 - margin) * clipped) / RANGE,
      ply,
      quality: qualities.get(ply),
    });
  });
  return points;
}
