/*
 * The analysis pages' bundle (built apart by tools/build-web.mjs and loaded
 * on demand through load-analysis.ts): the analysis board and the replay's
 * analysis, with the PDN reader and the worker's client.
 */
export { AnalysisPage } from './analysis-page.js';
export { ReplayAnalysis } from './replay-analysis.js';
