import type { ApiRoute } from '../http-types.js';

/** What the health checks read from the running server. */
export interface ServingState {
  /** The game service has loaded the store and the listener is up. */
  readonly started: boolean;
  /** `stop` was called (SIGTERM): finishing what is in flight, taking nothing new. */
  readonly stopping: boolean;
  /** The last commit failed and is being retried: moves are held, no game starts. */
  readonly storageFailing: boolean;
}

/**
 * `GET /healthz`: the process answers and storage writes (a load balancer or
 * a supervisor restarts on 503). `GET /readyz`: the server takes players now
 * (started, not stopping, storage writing); 503 while starting or draining.
 */
export function healthRoutes(state: () => ServingState): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/healthz',
      handle() {
        const { storageFailing } = state();
        return {
          status: storageFailing ? 503 : 200,
          body: { status: storageFailing ? 'failing' : 'ok', storage: storageFailing ? 'failing' : 'writing' },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/readyz',
      handle() {
        const { started, stopping, storageFailing } = state();
        const reason = !started ? 'starting' : stopping ? 'stopping' : storageFailing ? 'storage failing' : undefined;
        return { status: reason ? 503 : 200, body: reason ? { ready: false, reason } : { ready: true } };
      },
    },
  ];
}
