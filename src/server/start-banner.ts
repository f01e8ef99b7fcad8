import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { MetricsAddress } from './metrics.js';

/** What the operator is told once the server is up. */
export interface StartFacts {
  /** As given by --listen-addr; undefined listens on every interface. */
  readonly listenAddress: string | undefined;
  /** The port actually listened on. */
  readonly port: number;
  readonly web: boolean;
  /** TLS offered and plain refused: the pages are served over HTTPS only. */
  readonly httpsOnly: boolean;
  /** The metrics listener as actually bound, when there is one. */
  readonly metrics: MetricsAddress | undefined;
}

/** A host as a URL carries it: a wildcard address is this machine ("localhost"), an IPv6 address in brackets. */
function urlHost(address: string | undefined): string {
  if (address === undefined || address === '::' || address === '0.0.0.0' || address === '') return 'localhost';
  return isIP(address) === 6 ? `[${address}]` : address;
}

/** The address to open in a browser on this machine, pure. */
export function browserUrl(facts: Pick<StartFacts, 'listenAddress' | 'port' | 'httpsOnly'>): string {
  return `${facts.httpsOnly ? 'https' : 'http'}://${urlHost(facts.listenAddress)}:${facts.port}/`;
}

/** Where Prometheus scrapes, pure. */
export function metricsUrl(metrics: MetricsAddress): string {
  return `http://${urlHost(metrics.host)}:${metrics.port}/metrics`;
}

/** Tells the operator where to point a browser and where the metrics are, one log line each. */
export function announceStart(log: Logger, facts: StartFacts): void {
  if (facts.web) {
    const url = browserUrl(facts);
    log.info({ url }, `web pages: open ${url} in a browser to play`);
  }
  if (facts.metrics) {
    const url = metricsUrl(facts.metrics);
    log.info({ url }, `metrics listener up: ${url}`);
  }
}
