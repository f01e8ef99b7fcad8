import { passwordProblem } from './accounts.js';

/** Tries an operator gets on a terminal before the command gives up (as passwd does). */
export const PASSWORD_TRIES = 3;

/** Asks one line without echoing it (inquirer's masked prompt on a terminal). */
export type MaskedAsk = (message: string) => Promise<string>;

/** Why the operator's tries ran out, or the password; `say` tells each failed try and that another comes. */
export async function askNewPassword(
  name: string,
  ask: MaskedAsk,
  say: (text: string) => void,
): Promise<{ ok: true; password: string } | { ok: false; reason: string }> {
  let reason = '';
  for (let attempt = 1; attempt <= PASSWORD_TRIES; attempt++) {
    const password = await ask(`Password for ${name}:`);
    const problem = passwordProblem(password);
    if (problem) reason = problem;
    else if ((await ask('Again, to be sure:')) !== password) reason = 'the two passwords differ';
    else return { ok: true, password };
    if (attempt < PASSWORD_TRIES) say(`${reason[0]?.toUpperCase()}${reason.slice(1)}; try again.`);
  }
  return { ok: false, reason };
}
