import type { RateLimit } from '../../limits/token-bucket.js';
import type { OptionTable } from '../../option-table.js';
import type { HashCost } from '../../passwords.js';
import type { AccountStore, CommunityStore } from '../../store/store.js';
import type { ApiRoute } from '../http-types.js';
import type { WatchLimits } from '../watch.js';
import { type AccountRoutesOptions, accountRoutes, type Registration } from './accounts.js';
import { gameRoute, gamesRoute } from './games.js';
import { healthRoutes, type ServingState } from './health.js';
import { leaderboardRoute } from './leaderboard.js';
import { liveRoute } from './live.js';
import { playerRoutes } from './players.js';
import { type SeekSource, seeksRoute } from './seeks.js';

export interface SignupLimits {
  readonly signupRatePerAddress: RateLimit;
  readonly signupRate: RateLimit;
}

/**
 * Sign-ups cost a password hash each and make a row that stays: a person signs
 * up once, so 3 at once and then one every 100 s per address is plenty for
 * a family or a club behind one address; all addresses together, a burst of
 * 20 and one every 2 s, so a botnet fills the database slowly.
 */
export const SIGNUP_OPTIONS: OptionTable<SignupLimits> = {
  signupRatePerAddress: {
    flag: '--address-signup-rate',
    unit: 'rate',
    help: 'sign-ups (POST /api/accounts) from one address',
    default: { perSecond: 0.01, burst: 3 },
  },
  signupRate: {
    flag: '--signup-rate',
    unit: 'rate',
    help: 'sign-ups from all addresses together',
    default: { perSecond: 0.5, burst: 20 },
  },
};

/** The community settings a server takes (ServerOptions.community); every one has a default. */
export interface CommunitySettings {
  /** `open` lets anyone sign up (POST /api/accounts); default `closed`. */
  readonly registration?: Registration;
  readonly signup?: Partial<SignupLimits>;
  readonly watch?: Partial<WatchLimits>;
  /**
   * The cost of hashes made by sign-ups and password changes when the server
   * does not rehash (tests, benchmarks); otherwise always DEFAULT_HASH_COST.
   */
  readonly hashCost?: HashCost;
}

export type CommunityOptions = Omit<AccountRoutesOptions, 'signupRatePerAddress' | 'signupRate'> &
  SignupLimits & {
    readonly store: CommunityStore & AccountStore;
    readonly serving: () => ServingState;
    /** The version-2 queues (GET /api/seeks); none: the list is empty. */
    readonly seeks?: SeekSource;
  };

/** Every route of the community pages' API and the health checks (docs/API.md). */
export function communityRoutes(options: CommunityOptions): ApiRoute[] {
  const { store } = options;
  return [
    leaderboardRoute(store),
    ...playerRoutes(store),
    gamesRoute(store),
    gameRoute(store),
    liveRoute(store),
    seeksRoute(options.seeks, options.clock),
    ...accountRoutes(options),
    ...healthRoutes(options.serving),
  ];
}
