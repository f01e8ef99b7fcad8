import './style.css';
import { siteFacts } from './community/site.js';
import { memoryStore, PlayClient } from './play/play-client.js';
import { PlaySession, type Timers } from './play/play-session.js';
import { LEGACY_CREDENTIALS_KEY } from './play/resume-token.js';
import { playUrl, type SocketLike } from './play/socket-connection.js';
import { StandardConnection } from './play/standard-connection.js';
import { StandardSession } from './play/standard-session.js';
import { allRoutes } from './routes.js';
import { Router } from './shell/router.js';
import { createShell } from './shell/shell.js';

const url = playUrl(location);
// The browser's WebSocket has the shape SocketLike names (its event objects carry more than SocketLike reads).
const createSocket = (address: string) => new WebSocket(address) as unknown as SocketLike;
const timers: Timers = {
  setTimeout: (run, ms) => window.setTimeout(run, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  now: () => Date.now(),
};

// Before protocol version 2 this page kept the password in sessionStorage; whatever an old tab left there goes.
sessionStorage.removeItem(LEGACY_CREDENTIALS_KEY);

const standard = new StandardSession({
  createLink: (events) => new StandardConnection(url, events, createSocket),
  // The resume token (never the password) lives in localStorage: a reload or a new tab logs in again with it.
  storage: localStorage,
  tabStorage: sessionStorage,
  timers,
  onVersion1: (username, password) => client.fallBack(username, password),
});
// Against a server that offers only version 1, the page plays version 1; the password then stays in memory only.
const client: PlayClient = new PlayClient(
  standard,
  () => new PlaySession({ url, createSocket, storage: memoryStore(), timers }),
);

const routes = allRoutes(client);
const shell = createShell(routes);
const router = new Router(shell);
siteFacts().then(
  (site) => shell.showNav('/signup', site.registration === 'open'),
  () => undefined,
);
for (const route of routes) router.register(route);
client.resume();
router.start();
