export * from './board.js';
export * from './codec.js';
export * from './decoder.js';
export * from './dfa.js';
export * from './messages.js';
export * from './move.js';
export * from './path.js';
export * from './v2-values.js';
