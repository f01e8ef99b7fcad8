import type { Route, Shell } from './router.js';

/**
 * The page chrome every page shares: a header with the site name and a
 * navigation bar (one link per route that asks for one), and the main area.
 * Colours follow the system's light or dark setting (see style.css).
 */
export function createShell(routes: readonly Route[]): Shell {
  const header = document.createElement('header');
  header.className = 'site-header';
  const brand = document.createElement('a');
  brand.className = 'brand';
  brand.href = '/';
  brand.textContent = 'Checkers';
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Main');
  const links = new Map<string, HTMLAnchorElement>();
  for (const route of routes) {
    if (!route.nav) continue;
    const link = document.createElement('a');
    link.href = route.pattern;
    link.textContent = route.nav;
    link.hidden = route.navHidden === true;
    links.set(route.pattern, link);
    nav.append(link);
  }
  header.append(brand, nav);
  const main = document.createElement('main');
  main.id = 'main';
  document.body.replaceChildren(header, main);
  return {
    main,
    setCurrent(pattern) {
      for (const [linkPattern, link] of links) {
        if (linkPattern === pattern) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
    showNav(pattern, shown) {
      const link = links.get(pattern);
      if (link) link.hidden = !shown;
    },
  };
}

/** A small helper for building DOM without HTML strings: `element('p', { className: 'x' }, 'text')`. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<Record<string, string | boolean | number>> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined || value === false) continue;
    if (name === 'className') node.className = String(value);
    else if (name === 'textContent') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}
