/** Runs `work` repeatedly for about `seconds` (and at most `maxRounds` times); returns rounds per second. */
export function measure(work: () => void, seconds = 1, maxRounds = 1_000_000): { rounds: number; perSecond: number } {
  work();
  const started = performance.now();
  let rounds = 0;
  while (rounds < maxRounds && performance.now() - started < seconds * 1000) {
    work();
    rounds++;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { rounds, perSecond: rounds / elapsed };
}

export function formatRate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(1);
}
