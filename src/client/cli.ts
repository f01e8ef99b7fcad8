#!/usr/bin/env node
// The terminal client is the next piece of work (issue 4); until then, say so plainly.
console.error(
  'checkers-client: the terminal client is not built yet. Any version-1 client can play on checkers-server meanwhile.',
);
process.exit(1);
