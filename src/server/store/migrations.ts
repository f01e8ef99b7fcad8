/**
 * Schema versions, applied in order; PRAGMA user_version records how many
 * have run. Never edit a migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
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
];

/** The index in MIGRATIONS of the case-insensitive unique index on names. */
export const UNIQUE_NAMES_MIGRATION = 2;
