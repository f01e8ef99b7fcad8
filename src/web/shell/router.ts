import { matchRoute } from './route-match.js';

/**
 * A small History-API router: pages register a path pattern and a render
 * function; links inside the page navigate without a reload. The server
 * answers every such path with index.html, so a reload or a shared link lands
 * on the same page.
 */
export interface PageContext {
  /** Named parts of the pattern, e.g. `{ name: 'cam' }` for `/players/:name`. */
  readonly params: Readonly<Record<string, string>>;
  readonly navigate: (path: string) => void;
}

export interface Route {
  /** A path pattern with `:name` parts, e.g. `/games/:id`. */
  readonly pattern: string;
  /** Shown in the navigation bar when given, in the order routes are registered. */
  readonly nav?: string;
  /** The navigation link starts hidden; the page shows it once the server says it applies (Shell.showNav). */
  readonly navHidden?: boolean;
  /** The document title while the page shows. */
  readonly title: string | ((params: Readonly<Record<string, string>>) => string);
  /** Draws the page into `main`; may return a function that undoes what it started (timers, sockets). */
  render(main: HTMLElement, context: PageContext): (() => void) | undefined;
}

export interface Shell {
  readonly main: HTMLElement;
  /** Marks the navigation link of the current page. */
  setCurrent(pattern: string | undefined): void;
  /** Shows or hides the navigation link of a page. */
  showNav(pattern: string, shown: boolean): void;
}

export class Router {
  readonly #routes: Route[] = [];
  #cleanup: (() => void) | undefined;

  constructor(private readonly shell: Shell) {}

  register(route: Route): void {
    this.#routes.push(route);
  }

  get routes(): readonly Route[] {
    return this.#routes;
  }

  start(): void {
    window.addEventListener('popstate', () => this.#show());
    document.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a') : null;
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
        return;
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || link.target || link.hasAttribute('download')) return;
      if (!matchRoute(this.#routes, url.pathname)) return;
      event.preventDefault();
      this.navigate(url.pathname + url.search);
    });
    this.#show();
  }

  navigate(path: string): void {
    if (path !== location.pathname + location.search) history.pushState(null, '', path);
    this.#show();
  }

  #show(): void {
    this.#cleanup?.();
    this.#cleanup = undefined;
    const main = this.shell.main;
    main.replaceChildren();
    const match = matchRoute(this.#routes, location.pathname);
    this.shell.setCurrent(match?.route.pattern);
    if (!match) {
      document.title = 'Not found · Checkers';
      const heading = document.createElement('h1');
      heading.textContent = 'There is no such page';
      const back = document.createElement('a');
      back.href = '/';
      back.textContent = 'Go to the game';
      main.append(heading, back);
      return;
    }
    const { route, params } = match;
    const title = typeof route.title === 'function' ? route.title(params) : route.title;
    document.title = `${title} · Checkers`;
    this.#cleanup = route.render(main, { params, navigate: (path) => this.navigate(path) }) ?? undefined;
  }
}
