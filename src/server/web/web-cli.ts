import { InvalidArgumentError, Option } from 'commander';
import { parseAllowedHosts } from './own-names.js';

/* Command-line options of the web port that are not rows of an option table (lists, not numbers). */

/** `--allowed-hosts NAME[,NAME]`: the server's names beyond those it knows itself (against DNS rebinding). */
export function allowedHostsOption(): Option {
  return new Option(
    '--allowed-hosts <NAME[,NAME]>',
    "names of this server for plain-HTTP WebSockets and sign-ups, beyond IP addresses, localhost, the listen address and the machine's host name (* = any name: no protection against DNS rebinding)",
  )
    .env('CHECKERS_ALLOWED_HOSTS')
    .argParser((value) => {
      try {
        return parseAllowedHosts(value);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    });
}

/** `--web-source-maps`: serve the web client's source maps, which are not served by default. */
export function sourceMapsOption(): Option {
  return new Option(
    '--web-source-maps',
    "serve the web client's source maps (*.map), for debugging it in a browser (default: not served)",
  ).env('CHECKERS_WEB_SOURCE_MAPS');
}
