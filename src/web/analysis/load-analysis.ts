/** The analysis pages' bundle address, set by tools/build-web.mjs (a content-hashed file under /assets). */
declare const ANALYSIS_PAGES_URL: string;

export type AnalysisPages = typeof import('./analysis-entry.js');

/**
 * Loads the analysis pages (once; the browser keeps the module). They are a
 * bundle of their own, so the script every page loads carries none of them.
 */
export function loadAnalysisPages(): Promise<AnalysisPages> {
  return import(ANALYSIS_PAGES_URL) as Promise<AnalysisPages>;
}
