/**
 * Schema versions, applied in order, each in the SQLite and the PostgreSQL
 * dialect: one list, so that both stores have the same versions. SQLite
 * records how many have run in PRAGMA user_version, PostgreSQL in the table
 * schema_version. Never edit a migration that has shipped: add the next one.
 */
export interface SchemaVersion {
  readonly sqlite: string;
  readonly postgres: string;
}

const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    password    TEXT    NOT NULL,
    rating      REAL    NOT NULL,
    deviation   REAL    NOT NULL,
    volatility  REAL    NOT NULL,
    games       INTEGER NOT NULL DEFAULT 0,
    wins        INTEGER NOT NULL DEFAULT 0,
    losses      INTEGER NOT NULL DEFAULT 0,
    draws       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL
  );
  CREATE TABLE games (
    id                   INTEGER PRIMARY KEY,
    black_id             INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    white_id             INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    black_name           TEXT    NOT NULL,
    white_name           TEXT    NOT NULL,
    result               TEXT    NOT NULL CHECK (result IN ('black', 'white', 'draw', 'abandoned')),
    termination          TEXT    NOT NULL,
    moves                TEXT    NOT NULL,
    black_rating_before  REAL    NOT NULL,
    black_rating_after   REAL    NOT NULL,
    white_rating_before  REAL    NOT NULL,
    white_rating_after   REAL    NOT NULL,
    started_at           TEXT    NOT NULL,
    ended_at             TEXT    NOT NULL
  );
  CREATE INDEX games_black ON games(black_id);
  CREATE INDEX games_white ON games(white_id);
  `,
  `
  CREATE TABLE live_games (
    id                INTEGER PRIMARY KEY,
    black_id          INTEGER NOT NULL,
    white_id          INTEGER NOT NULL,
    black_name        TEXT    NOT NULL,
    white_name        TEXT    NOT NULL,
    black_rating      TEXT    NOT NULL,
    white_rating      TEXT    NOT NULL,
    black_bits        INTEGER NOT NULL,
    white_bits        INTEGER NOT NULL,
    king_bits         INTEGER NOT NULL,
    turn              INTEGER NOT NULL,
    quiet_plies       INTEGER NOT NULL,
    last_move         INTEGER NOT NULL,
    moves             TEXT    NOT NULL,
    started_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
  );
  `,
  // Names are unique whatever their case ("Alice" is "alice"); the spelling given at creation is kept.
  // An older database holding names that differ only in case stays below this version (see SqliteStore.open).
  `
  CREATE UNIQUE INDEX accounts_name_nocase ON accounts(name COLLATE NOCASE);
  `,
  // The standings page through accounts by rating. (The games pages need each side's games by id: SQLite's
  // games_black and games_white hold the row id after the account id already.)
  `
  CREATE INDEX accounts_rating ON accounts(rating DESC, id);
  `,
  // Cluster: each game's largest fencing token (Store.commit). Rows stay after the game ends.
  `
  CREATE TABLE game_fences (
    id     INTEGER PRIMARY KEY,
    fence  INTEGER NOT NULL
  );
  `,
  // Protocol version 2: resume tokens (only their SHA-256, in hex), the standard-rules rating and counts beside the
  // version-1 ones (the defaults are DEFAULT_RATING), and each game's rules and time control (0+0: no clock), with
  // today's values as the defaults. Standard games in progress keep both clocks (ms left, as read at clocks_at).
  `
  CREATE TABLE resume_tokens (
    token_hash  TEXT    PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
  );
  CREATE INDEX resume_tokens_account ON resume_tokens(account_id, expires_at);
  ALTER TABLE accounts ADD COLUMN standard_rating     REAL    NOT NULL DEFAULT 1200;
  ALTER TABLE accounts ADD COLUMN standard_deviation  REAL    NOT NULL DEFAULT 350;
  ALTER TABLE accounts ADD COLUMN standard_volatility REAL    NOT NULL DEFAULT 0.06;
  ALTER TABLE accounts ADD COLUMN standard_games      INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE accounts ADD COLUMN standard_wins       INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE accounts ADD COLUMN standard_losses     INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE accounts ADD COLUMN standard_draws      INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX accounts_standard_rating ON accounts(standard_rating DESC, id);
  ALTER TABLE games ADD COLUMN rules TEXT NOT NULL DEFAULT 'v1' CHECK (rules IN ('v1', 'standard'));
  ALTER TABLE games ADD COLUMN clock_initial   INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE games ADD COLUMN clock_increment INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE live_games ADD COLUMN rules TEXT NOT NULL DEFAULT 'v1';
  ALTER TABLE live_games ADD COLUMN clock_initial   INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE live_games ADD COLUMN clock_increment INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE live_games ADD COLUMN black_clock_ms  INTEGER;
  ALTER TABLE live_games ADD COLUMN white_clock_ms  INTEGER;
  ALTER TABLE live_games ADD COLUMN clocks_at       TEXT;
  `,
  // Guests (accounts marked guest: no usable password, no rating shown, kept out of the standings), and what a
  // standard game in progress needs to resume as it was: whether it is rated, and the computer's level (null: no
  // computer, or a game stored before this version).
  `
  ALTER TABLE accounts ADD COLUMN guest INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE live_games ADD COLUMN rated     INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE live_games ADD COLUMN bot_level INTEGER;
  `,
  // Finished games with a clock keep the mover's time left after each move (ms, space-separated; null: none).
  `
  ALTER TABLE games ADD COLUMN move_clocks TEXT;
  `,
];

/**
 * The same tables in PostgreSQL. Ids are identities "by default" so that a
 * migration from SQLite can keep them; board bitmaps are unsigned 32-bit, so
 * bigint; timestamps are timestamptz (SQLite keeps ISO text).
 */
const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    id          integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name        text             NOT NULL UNIQUE,
    password    text             NOT NULL,
    rating      double precision NOT NULL,
    deviation   double precision NOT NULL,
    volatility  double precision NOT NULL,
    games       integer          NOT NULL DEFAULT 0,
    wins        integer          NOT NULL DEFAULT 0,
    losses      integer          NOT NULL DEFAULT 0,
    draws       integer          NOT NULL DEFAULT 0,
    created_at  timestamptz      NOT NULL
  );
  CREATE TABLE games (
    id                   integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    black_id             integer REFERENCES accounts(id) ON DELETE SET NULL,
    white_id             integer REFERENCES accounts(id) ON DELETE SET NULL,
    black_name           text             NOT NULL,
    white_name           text             NOT NULL,
    result               text             NOT NULL CHECK (result IN ('black', 'white', 'draw', 'abandoned')),
    termination          text             NOT NULL,
    moves                text             NOT NULL,
    black_rating_before  double precision NOT NULL,
    black_rating_after   double precision NOT NULL,
    white_rating_before  double precision NOT NULL,
    white_rating_after   double precision NOT NULL,
    started_at           timestamptz      NOT NULL,
    ended_at             timestamptz      NOT NULL
  );
  CREATE INDEX games_black ON games(black_id);
  CREATE INDEX games_white ON games(white_id);
  `,
  `
  CREATE TABLE live_games (
    id                integer     PRIMARY KEY,
    black_id          integer     NOT NULL,
    white_id          integer     NOT NULL,
    black_name        text        NOT NULL,
    white_name        text        NOT NULL,
    black_rating      text        NOT NULL,
    white_rating      text        NOT NULL,
    black_bits        bigint      NOT NULL,
    white_bits        bigint      NOT NULL,
    king_bits         bigint      NOT NULL,
    turn              integer     NOT NULL,
    quiet_plies       integer     NOT NULL,
    last_move         integer     NOT NULL,
    moves             text        NOT NULL,
    started_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
  );
  `,
  // Names are ASCII: lower() folds them as SQLite's NOCASE does.
  `
  CREATE UNIQUE INDEX accounts_name_nocase ON accounts (lower(name));
  `,
  // The standings by rating; each side's games by id (SQLite's games_black and games_white hold the row id already).
  `
  CREATE INDEX accounts_rating ON accounts (rating DESC, id);
  CREATE INDEX games_black_by_id ON games (black_id, id);
  CREATE INDEX games_white_by_id ON games (white_id, id);
  `,
  `
  CREATE TABLE game_fences (
    id     integer PRIMARY KEY,
    fence  bigint  NOT NULL
  );
  `,
  `
  CREATE TABLE resume_tokens (
    token_hash  text        PRIMARY KEY,
    account_id  integer     NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL
  );
  CREATE INDEX resume_tokens_account ON resume_tokens (account_id, expires_at);
  ALTER TABLE accounts
    ADD COLUMN standard_rating     double precision NOT NULL DEFAULT 1200,
    ADD COLUMN standard_deviation  double precision NOT NULL DEFAULT 350,
    ADD COLUMN standard_volatility double precision NOT NULL DEFAULT 0.06,
    ADD COLUMN standard_games      integer          NOT NULL DEFAULT 0,
    ADD COLUMN standard_wins       integer          NOT NULL DEFAULT 0,
    ADD COLUMN standard_losses     integer          NOT NULL DEFAULT 0,
    ADD COLUMN standard_draws      integer          NOT NULL DEFAULT 0;
  CREATE INDEX accounts_standard_rating ON accounts (standard_rating DESC, id);
  ALTER TABLE games
    ADD COLUMN rules           text    NOT NULL DEFAULT 'v1' CHECK (rules IN ('v1', 'standard')),
    ADD COLUMN clock_initial   integer NOT NULL DEFAULT 0,
    ADD COLUMN clock_increment integer NOT NULL DEFAULT 0;
  ALTER TABLE live_games
    ADD COLUMN rules           text    NOT NULL DEFAULT 'v1',
    ADD COLUMN clock_initial   integer NOT NULL DEFAULT 0,
    ADD COLUMN clock_increment integer NOT NULL DEFAULT 0,
    ADD COLUMN black_clock_ms  bigint,
    ADD COLUMN white_clock_ms  bigint,
    ADD COLUMN clocks_at       timestamptz;
  `,
  `
  ALTER TABLE accounts ADD COLUMN guest boolean NOT NULL DEFAULT false;
  ALTER TABLE live_games
    ADD COLUMN rated     boolean NOT NULL DEFAULT true,
    ADD COLUMN bot_level integer;
  `,
  `
  ALTER TABLE games ADD COLUMN move_clocks text;
  `,
];

export const SCHEMA_VERSIONS: readonly SchemaVersion[] = SQLITE_MIGRATIONS.map((sqlite, index) => {
  const postgres = POSTGRES_MIGRATIONS[index];
  if (postgres === undefined) throw new Error(`schema version ${index + 1} has no PostgreSQL dialect`);
  return { sqlite, postgres };
});
if (POSTGRES_MIGRATIONS.length !== SQLITE_MIGRATIONS.length) {
  throw new Error('the PostgreSQL migrations outnumber the SQLite ones');
}

/** The SQLite dialect of SCHEMA_VERSIONS. */
export const MIGRATIONS: readonly string[] = SCHEMA_VERSIONS.map((version) => version.sqlite);

/** The index in MIGRATIONS of the case-insensitive unique index on names. */
export const UNIQUE_NAMES_MIGRATION = 2;
