import { analysisRoute } from './analysis/routes.js';
import { communityRoutes } from './community/routes.js';
import type { PlayCommands } from './play/play-commands.js';
import { inviteRoute, playRoute } from './play/play-page.js';
import type { Route } from './shell/router.js';

/**
 * Every page of the web client, in navigation order. A new page is a module
 * exporting a Route; add it here.
 */
export function allRoutes(session: PlayCommands): Route[] {
  return [playRoute(session), inviteRoute(session), ...communityRoutes(), analysisRoute()];
}
