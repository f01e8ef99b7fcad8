import './analysis.css';
import type { Route } from '../shell/router.js';
import { loadAnalysisPages } from './load-analysis.js';

/**
 * `/analysis` and `/analysis?fen=FEN`: the analysis board. Its code (and the
 * PDN reader) loads only when the page is opened, so the play page does not
 * carry it; the engine itself runs in a worker with its own bundle.
 */
export function analysisRoute(): Route {
  return {
    pattern: '/analysis',
    nav: 'Analysis',
    title: 'Analysis',
    render(main) {
      let gone = false;
      let detach: (() => void) | undefined;
      const status = document.createElement('p');
      status.className = 'muted';
      status.textContent = 'Loading the analysis board…';
      main.append(status);
      loadAnalysisPages().then(
        ({ AnalysisPage }) => {
          if (gone) return;
          const page = new AnalysisPage(location.search);
          main.replaceChildren(page.element);
          detach = () => page.detach();
        },
        (error: unknown) => {
          status.textContent = `The analysis board could not be loaded: ${(error as Error).message}. Reload the page.`;
        },
      );
      return () => {
        gone = true;
        detach?.();
      };
    },
  };
}
