import './style.css';
import { siteFacts } from './community/site.js';
import { PlaySession } from './play/play-session.js';
import { playUrl, type SocketLike } from './play/socket-connection.js';
import { allRoutes } from './routes.js';
import { Router } from './shell/router.js';
import { createShell } from './shell/shell.js';

const session = new PlaySession({
  url: playUrl(location),
  // The browser's WebSocket has the shape SocketLike names (its event objects carry more than SocketLike reads).
  createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  // Credentials live for this tab only: sessionStorage, never localStorage or a cookie.
  storage: sessionStorage,
  timers: {
    setTimeout: (run, ms) => window.setTimeout(run, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    now: () => Date.now(),
  },
});

const routes = allRoutes(session);
const shell = createShell(routes);
const router = new Router(shell);
siteFacts().then(
  (site) => shell.showNav('/signup', site.registration === 'open'),
  () => undefined,
);
for (const route of routes) router.register(route);
session.resume();
router.start();
