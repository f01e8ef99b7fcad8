import { existsSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { quoted, UserError } from '../cli-support.js';
import { initDatabase } from '../db-init.js';
import { migrateToPostgres } from '../store/migrate-to-postgres.js';
import { isPostgresUrl, redactedPgUrl } from '../store/pg-open.js';
import { gameToPdn } from '../web/api/game-json.js';
import { certificateFor, tlsFileOptions } from './certificate-options.js';
import { databaseOf, dbOption, withStore } from './store-access.js';

/* `checkers-server games export`, `tls fingerprint`, `backup` and `db ...`: the operator's commands on games and data. */

/** Adds `games export`, `tls fingerprint`, `backup`, `db init` and `db migrate-to-postgres` to the program. */
export function addDataCommands(program: Command): void {
  program
    .command('games')
    .description('finished games')
    .command('export')
    .description('write finished games as PDN')
    .option('--user <NAME>', 'only the games of this account')
    .option('--out <FILE>', 'write to this file instead of standard output')
    .addOption(dbOption())
    .action(async (options: { user?: string; out?: string }, command: Command) => {
      await withStore(command, 'read', async (store) => {
        const games = await store.listGames(options.user === undefined ? {} : { user: options.user });
        // A removed account's games stay under its name, so only a name with no account and no game is unknown.
        if (options.user !== undefined && games.length === 0 && !(await store.findAccount(options.user))) {
          throw new UserError(`no account named ${quoted(options.user)}, and no game under that name; see "user list"`);
        }
        const text = games.map(gameToPdn).join('\n');
        if (options.out) writeOutput(options.out, text);
        else process.stdout.write(text);
      });
    });

  const tls = program.command('tls').description('the TLS certificate');

  const fingerprint = tls.command('fingerprint');
  for (const option of tlsFileOptions()) fingerprint.addOption(option);
  fingerprint
    .description("print the SHA-256 fingerprint of the server's certificate (creating the self-signed one if missing)")
    .addOption(
      dbOption(
        'the SQLite database; the self-signed certificate is in its directory (data/ for a PostgreSQL database)',
      ),
    )
    .action(async (options: { tlsCert?: string; tlsKey?: string }, command: Command) => {
      const db = databaseOf(command);
      // The self-signed certificate lives beside the server's database: a mistyped --db would make a stranger one.
      if (!options.tlsCert && !isPostgresUrl(db) && !existsSync(db)) {
        throw new UserError(
          `there is no database at ${db}; check --db (the server creates it, and its certificate, when it first starts)`,
        );
      }
      const certificate = await certificateFor({ ...options, db });
      console.log(certificate.fingerprint);
    });

  program
    .command('backup')
    .description('copy the database to FILE, safely, even while the server runs')
    .argument('<FILE>', 'where the copy goes (a SQLite database)')
    .addOption(dbOption())
    .action(async (file: string, _options: unknown, command: Command) => {
      if (isPostgresUrl(databaseOf(command))) {
        throw new UserError(
          `backup copies an SQLite database; for PostgreSQL use pg_dump (pg_dump --format=custom --file=${file} "${redactedPgUrl(databaseOf(command))}", with the real password)`,
        );
      }
      await withStore(command, 'read', async (store, db) => {
        if (existsSync(file)) throw new UserError(`${file} already exists; choose a new file name`);
        if (!store.backup) throw new UserError('backup copies an SQLite database; for PostgreSQL use pg_dump');
        await store.backup(file);
        console.log(`backed up ${db} to ${file}`);
      });
    });

  const database = program.command('db').description('the database');

  database
    .command('init')
    .description(
      'create the tables in a new database (as the server does when it first starts), for the operator commands',
    )
    .addOption(dbOption('the SQLite database (created if missing), or postgres://USER:PASSWORD@HOST:PORT/DB'))
    .action(async (_options: unknown, command: Command) => {
      console.log(await initDatabase(databaseOf(command)));
    });

  database
    .command('migrate-to-postgres')
    .description(
      'copy an SQLite database (accounts with their passwords, both ratings, finished games, games in progress; not the resume tokens) into an empty PostgreSQL database, in one transaction; stop the server first',
    )
    .requiredOption('--from <FILE>', 'the SQLite database to copy')
    .addOption(
      new Option('--db <URL>', 'the PostgreSQL database to fill: postgres://USER:PASSWORD@HOST:PORT/DB, empty')
        .env('CHECKERS_DB')
        .makeOptionMandatory(),
    )
    .action(async (options: { from: string }, command: Command) => {
      const url = databaseOf(command);
      const copied = await migrateToPostgres(options.from, url);
      console.log(
        `copied ${copied.accounts} accounts, ${copied.games} finished games and ${copied.live} games in progress ` +
          `from ${options.from} to ${redactedPgUrl(url)}`,
      );
    });
}

function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EISDIR'
          ? 'it is a directory; name a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (error as Error).message;
    throw new UserError(`cannot write ${file}: ${why}`);
  }
}
