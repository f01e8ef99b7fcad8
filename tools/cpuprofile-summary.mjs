#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file,
// optionally only the samples from --from-s seconds after the profile's start (skip a ramp-up).
// Usage: node tools/cpuprofile-summary.mjs FILE.cpuprofile [--from-s 25] [--top 40]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
if (!file) {
  console.error('usage: node tools/cpuprofile-summary.mjs FILE.cpuprofile [--from-s SECONDS] [--top N]');
  process.exit(2);
}
const fromUs = option('--from-s', 0) * 1e6;
const top = option('--top', 40);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
let elapsed = 0;
let total = 0;
for (let i = 0; i < profile.samples.length; i += 1) {
  const delta = profile.timeDeltas[i] ?? 0;
  elapsed += delta;
  if (elapsed < fromUs) continue;
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  total += delta;
}
const byFunction = new Map();
const byFile = new Map();
for (const [id, us] of selfUs) {
  const { callFrame } = nodes.get(id);
  const where = callFrame.url ? callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/') : '(native)';
  const name = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byFile.set(where, (byFile.get(where) ?? 0) + us);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${(total / 1e6).toFixed(1)} s of samples from ${(fromUs / 1e6).toFixed(0)} s on`);
show('self time by function', byFunction);
show('self time by file', byFile);
