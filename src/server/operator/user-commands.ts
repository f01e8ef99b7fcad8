import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { passwordProblem, usernameProblem } from '../accounts.js';
import { firstLine, quoted, readStdin, UserError } from '../cli-support.js';
import type { Account } from '../domain/players.js';
import { wireRating } from '../domain/rating.js';
import { isHouseBotAccount } from '../house-bot.js';
import { Limiter } from '../limits/limiter.js';
import { askNewPassword } from '../password-prompt.js';
import { hashPassword } from '../passwords.js';
import { parseImport } from '../user-import.js';
import { dbOption, withStore } from './store-access.js';

/* `checkers-server user ...`: the operator's account commands. */

/** Why an operator cannot create `name` or give it a password: it is the house bot's. */
function houseBotRefusal(name: string): string {
  return `${quoted(name)} is the house bot's account: it is reserved, and nobody logs in as it or gives it a password`;
}

/** A new password: from the first line of stdin, or asked twice on the terminal without echo. */
async function newPassword(name: string, fromStdin: boolean | undefined): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = firstLine(await readStdin());
  } else {
    if (!process.stdin.isTTY) throw new UserError('no terminal to ask for the password on; pass --password-stdin');
    const { password: ask } = await import('@inquirer/prompts');
    const asked = await askNewPassword(
      name,
      (message) => ask({ message, mask: '*' }),
      (text) => console.log(text),
    );
    if (!asked.ok) throw new UserError(`${asked.reason}; nothing was changed`);
    password = asked.password;
  }
  const problem = passwordProblem(password);
  if (problem) throw new UserError(`${problem}; nothing was changed`);
  return password;
}

const HASH_POOL = new Limiter(Math.max(1, availableParallelism()));

/** Adds `user add|import|passwd|remove|rename|list` to the program. */
export function addUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');
  user
    .command('add')
    .description('create an account (asks for the password twice)')
    .argument('<NAME>', '1 to 16 printable ASCII characters')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .addOption(dbOption())
    .action(async (name: string, options: { passwordStdin?: boolean }, command: Command) => {
      const problem = usernameProblem(name);
      if (problem) throw new UserError(problem);
      if (isHouseBotAccount(name)) throw new UserError(houseBotRefusal(name));
      await withStore(command, 'write', async (store) => {
        const existing = await store.findAccount(name);
        if (existing)
          throw new UserError(`${existingAccount(name, existing.name)}; use "user passwd ${existing.name}"`);
        const hash = await hashPassword(await newPassword(name, options.passwordStdin));
        await store.createAccount(name, hash);
        console.log(`created ${name} (rating ${wireRating((await store.findAccount(name))?.rating.rating ?? 0)})`);
      });
    });

  user
    .command('import')
    .description('create accounts from NAME:PASSWORD lines, all or none')
    .argument('<FILE>', 'file to read, or - for standard input')
    .addOption(dbOption())
    .action(async (file: string, _options: unknown, command: Command) => {
      let text: string;
      try {
        text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
      } catch (error) {
        throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
      }
      await withStore(command, 'write', async (store) => {
        const find = accountFinder(await store.listAccounts());
        const reading = parseImport(text, (name) => {
          const existing = find(name);
          if (existing && isHouseBotAccount(existing.name, existing.passwordHash)) return houseBotRefusal(name);
          if (existing) return existingAccount(name, existing.name);
          return isHouseBotAccount(name) ? houseBotRefusal(name) : undefined;
        });
        if (!reading.ok) throw new UserError(`${file} line ${reading.line}: ${reading.reason}; nothing was imported`);
        const accounts = await Promise.all(
          reading.accounts.map(async ({ name, password }) => ({
            name,
            passwordHash: await HASH_POOL.run(() => hashPassword(password)),
          })),
        );
        await store.createAccounts(accounts);
        console.log(`imported ${accounts.length} account${accounts.length === 1 ? '' : 's'}`);
      });
    });

  user
    .command('passwd')
    .description('change the password of an account')
    .argument('<NAME>')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .addOption(dbOption())
    .action(async (name: string, options: { passwordStdin?: boolean }, command: Command) => {
      await withStore(command, 'write', async (store) => {
        const account = await store.findAccount(name);
        if (!account) throw new UserError(`no account named ${quoted(name)}; see "user list"`);
        if (isHouseBotAccount(account.name, account.passwordHash)) throw new UserError(houseBotRefusal(account.name));
        await store.setPassword(
          account.name,
          await hashPassword(await newPassword(account.name, options.passwordStdin)),
        );
        console.log(`password of ${account.name} changed`);
      });
    });

  user
    .command('remove')
    .description(
      'delete an account (its finished games stay, under its name; a running server ends its session within seconds, its game as a forfeit)',
    )
    .argument('<NAME>')
    .addOption(dbOption())
    .action(async (name: string, _options: unknown, command: Command) => {
      await withStore(command, 'write', async (store) => {
        const account = await store.findAccount(name);
        if (!account || !(await store.removeAccount(account.name)))
          throw new UserError(`no account named ${quoted(name)}; see "user list"`);
        console.log(`removed ${account.name}`);
      });
    });

  user
    .command('rename')
    .description(
      'rename an account, in its recorded games too (a player online keeps the old name until the next login)',
    )
    .argument('<NAME>', 'the account, in any case (the exact spelling first)')
    .argument('<NEW>', 'its new name')
    .addOption(dbOption())
    .action(async (name: string, newName: string, _options: unknown, command: Command) => {
      const problem = usernameProblem(newName);
      if (problem) throw new UserError(problem);
      await withStore(command, 'write', async (store) => {
        const account = await store.findAccount(name);
        if (!account) throw new UserError(`no account named ${quoted(name)}; see "user list"`);
        if (isHouseBotAccount(account.name, account.passwordHash) || isHouseBotAccount(newName)) {
          throw new UserError(houseBotRefusal(isHouseBotAccount(newName) ? newName : account.name));
        }
        if (!(await store.renameAccount(account.id, newName))) {
          const holder = await store.findAccount(newName);
          throw new UserError(existingAccount(newName, holder?.name ?? newName));
        }
        console.log(`renamed ${account.name} to ${newName}`);
      });
    });

  user
    .command('list')
    .description('every account with its ratings and results (version 1, then standard rules)')
    .addOption(dbOption())
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, 'read', async (store) => {
        // A guest is marked, and has no rating to show.
        const rows = (await store.listAccounts()).map((account) => [
          account.guest ? `${account.name} (guest)` : account.name,
          account.guest ? '-' : wireRating(account.rating.rating),
          account.games,
          account.wins,
          account.losses,
          account.draws,
          account.guest ? '-' : wireRating(account.standard.rating.rating),
          account.standard.games,
        ]);
        printTable(['name', 'rating', 'games', 'wins', 'losses', 'draws', 'standard', 'std-games'], rows);
      });
    });
}

/** Looks names up as `findAccount` does (any case, the exact spelling first) in accounts read once. */
function accountFinder(accounts: readonly Account[]): (name: string) => Account | undefined {
  // SQLite's NOCASE folds ASCII letters only.
  const fold = (name: string) => name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  const exact = new Map<string, Account>();
  const anyCase = new Map<string, Account>();
  for (const account of accounts) {
    exact.set(account.name, account);
    if (!anyCase.has(fold(account.name))) anyCase.set(fold(account.name), account);
  }
  return (name) => exact.get(name) ?? anyCase.get(fold(name));
}

/** Names ignore case: the existing account is named as it is stored. */
function existingAccount(given: string, stored: string): string {
  return `an account named ${quoted(stored)} already exists${given === stored ? '' : ' (names ignore case)'}`;
}

/** Columns padded to their widest cell: the first to the left, the others to the right. */
function printTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => String(row[column] ?? '').length)));
  for (const row of cells) {
    console.log(
      row
        .map((cell, column) =>
          column === 0 ? String(cell).padEnd(widths[column] ?? 0) : String(cell).padStart(widths[column] ?? 0),
        )
        .join('  '),
    );
  }
}
