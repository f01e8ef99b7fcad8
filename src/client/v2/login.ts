import { loginRefusalText, type MessageOfType } from '../../protocol/index.js';
import type { ProtocolConnection } from '../connection.js';
import type { CredentialSource, Credentials } from '../terminal-client.js';

export type LoginOutcome =
  /** Logged in with version 2. */
  | { readonly kind: 'v2'; readonly credentials: Credentials; readonly loggedIn: MessageOfType<'LoggedIn'> }
  /** The server speaks version 1 only: log in again with version 1 and these credentials (on the same connection). */
  | { readonly kind: 'v1'; readonly credentials: Credentials }
  /** Gave up, or the connection ended: the exit code. */
  | { readonly kind: 'exit'; readonly code: number };

/** The one line a player sees when the server speaks version 1 only. */
export const FALLBACK_NOTICE =
  'This server speaks protocol version 1 only: playing by its rules (the server plays every capture for you; no clocks, draw offers or rematches).';

/**
 * Logs in with protocol version 2, asking again after a refused password. A
 * server that answers InvalidVersion naming version 1 (the original server,
 * or a cluster, which does not offer version 2 yet) gets the same
 * credentials again in version 1: the connection stays unauthenticated after
 * InvalidVersion, so no new connection is needed.
 */
export async function logInVersion2(
  connection: ProtocolConnection,
  ask: CredentialSource,
  write: (text: string) => void,
): Promise<LoginOutcome> {
  let previous: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const credentials = await ask(previous, attempt);
    if (!credentials) {
      connection.close();
      return { kind: 'exit', code: 0 };
    }
    previous = credentials.username;
    if (connection.ended) {
      write('Disconnected: the connection to the server was lost.\n');
      return { kind: 'exit', code: 1 };
    }
    connection.login(credentials.username, credentials.password, 2);
    const answer = await loginAnswer(connection);
    switch (answer.kind) {
      case 'loggedIn':
        return { kind: 'v2', credentials, loggedIn: answer.message };
      case 'closed':
        write(`Disconnected: ${answer.reason}.\n`);
        return { kind: 'exit', code: 1 };
      case 'version': {
        const { lowest, highest } = answer.message;
        if (lowest <= 1 && highest >= 1) {
          write(`${FALLBACK_NOTICE}\n`);
          return { kind: 'v1', credentials };
        }
        write(
          `This server speaks protocol version${lowest === highest ? ` ${lowest}` : `s ${lowest} to ${highest}`}; this client speaks versions 1 and 2. Use a client that matches the server.\n`,
        );
        connection.close();
        return { kind: 'exit', code: 1 };
      }
      case 'refused':
        write(`Login refused: ${loginRefusalText(answer.message.reason)}. Try again.\n`);
    }
  }
}

/**
 * Logs in as a guest (protocol version 2): the server names the guest and
 * gives a resume token, as LoggedIn does for an account, so the rest of the
 * session is the same; a guest has no rating and no game in progress.
 */
export async function logInAsGuest(
  connection: ProtocolConnection,
  write: (text: string) => void,
): Promise<LoginOutcome> {
  if (connection.ended) {
    write('Disconnected: the connection to the server was lost.\n');
    return { kind: 'exit', code: 1 };
  }
  connection.loginAsGuest();
  const answer = await loginAnswer(connection);
  switch (answer.kind) {
    case 'guest': {
      const { name, token, tokenSeconds } = answer.message;
      return {
        kind: 'v2',
        credentials: { username: name, password: '' },
        loggedIn: { type: 'LoggedIn', token, rating: 0, tokenSeconds, flags: 0 },
      };
    }
    case 'closed':
      write(`Disconnected: ${answer.reason}.\n`);
      return { kind: 'exit', code: 1 };
    case 'refused':
      write(`Guest login refused: ${loginRefusalText(answer.message.reason)}.\n`);
      break;
    case 'version':
      write('This server does not offer guest play (it speaks protocol version 1 here): log in with an account.\n');
      break;
    case 'loggedIn':
      write('The server answered a guest login as an account login; log in with an account.\n');
  }
  connection.close();
  return { kind: 'exit', code: 1 };
}

type Answer =
  | { kind: 'loggedIn'; message: MessageOfType<'LoggedIn'> }
  | { kind: 'guest'; message: MessageOfType<'GuestLoggedIn'> }
  | { kind: 'refused'; message: MessageOfType<'InvalidLogin'> }
  | { kind: 'version'; message: MessageOfType<'InvalidVersion'> }
  | { kind: 'closed'; reason: string };

function loginAnswer(c: ProtocolConnection): Promise<Answer> {
  return new Promise((resolve) => {
    const done = (answer: Answer) => {
      c.off('loggedIn', loggedIn);
      c.off('guestLoggedIn', guest);
      c.off('invalidLogin', refused);
      c.off('invalidVersion', version);
      c.off('disconnected', closed);
      resolve(answer);
    };
    const loggedIn = (message: MessageOfType<'LoggedIn'>) => {
      // A GameStart2 may follow in the same read: hold it until the game listens.
      c.pause();
      done({ kind: 'loggedIn', message });
    };
    const guest = (message: MessageOfType<'GuestLoggedIn'>) => {
      c.pause();
      done({ kind: 'guest', message });
    };
    const refused = (message: MessageOfType<'InvalidLogin'>) => done({ kind: 'refused', message });
    const version = (message: MessageOfType<'InvalidVersion'>) => done({ kind: 'version', message });
    const closed = ({ reason }: { reason: string }) => done({ kind: 'closed', reason });
    c.on('loggedIn', loggedIn);
    c.on('guestLoggedIn', guest);
    c.on('invalidLogin', refused);
    c.on('invalidVersion', version);
    c.on('disconnected', closed);
  });
}
