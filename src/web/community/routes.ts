import './community.css';
import type { Route } from '../shell/router.js';
import { passwordRoute, signupRoute } from './account-pages.js';
import { gameRoute } from './game-page.js';
import { liveRoute, watchRoute } from './live-page.js';
import { playerByQueryRoute, playerRoute } from './player-page.js';
import { rulesRoute } from './rules-page.js';
import { standingsRoute } from './standings-page.js';

/** The community pages, in navigation order. */
export function communityRoutes(): Route[] {
  return [
    standingsRoute(),
    liveRoute(),
    watchRoute(),
    playerRoute(),
    playerByQueryRoute(),
    gameRoute(),
    signupRoute(),
    passwordRoute(),
    rulesRoute(),
  ];
}
