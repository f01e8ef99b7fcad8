import { FEATURE_COUNT } from '../src/game/engine/board.js';

/**
 * Evaluation weights given on a bench's command line as `npm run tune`
 * prints them (whole numbers separated by commas, in board.ts WEIGHT_NAMES
 * order); absent: undefined, the engine's defaults. A wrong list ends the
 * process with a message saying what is expected.
 */
export function weightsOption(text: string | undefined, option: string): Int32Array | undefined {
  if (text === undefined) return undefined;
  const weights = text.split(',').map(Number);
  if (weights.length !== FEATURE_COUNT || !weights.every(Number.isInteger)) {
    console.error(`${option} takes ${FEATURE_COUNT} whole numbers separated by commas, not "${text}"`);
    process.exit(2);
  }
  return Int32Array.from(weights);
}
