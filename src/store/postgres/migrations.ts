/**
 * Versioned schema for the PostgreSQL store. Append new versions; never edit a released one.
 *
 * Choices that keep it interchangeable with the SQLite store:
 * - key and name columns use COLLATE "C" so ORDER BY sorts by code point, as SQLite's BINARY does,
 *   whatever the database's locale;
 * - JSON is kept as TEXT: JSONB would reorder keys and reject strings containing "\u0000";
 * - epoch-ms times are BIGINT (the adapter turns them back into numbers).
 */
export const POSTGRES_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE workspaces (id TEXT COLLATE "C" PRIMARY KEY, name TEXT, created_at BIGINT NOT NULL);
CREATE TABLE items (
  workspace TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL, available BOOLEAN NOT NULL,
  updated_at BIGINT NOT NULL, PRIMARY KEY (workspace, id)
);
CREATE TABLE events (
  seq BIGSERIAL PRIMARY KEY,
  workspace TEXT COLLATE "C" NOT NULL, message_id TEXT COLLATE "C" NOT NULL, type TEXT NOT NULL,
  subject TEXT COLLATE "C" NOT NULL, user_id TEXT, anonymous_id TEXT, item_id TEXT, value DOUBLE PRECISION,
  query TEXT, channel TEXT, recommendation_id TEXT, variant TEXT, ts BIGINT NOT NULL, received_at BIGINT NOT NULL,
  properties TEXT
);
CREATE UNIQUE INDEX events_message ON events (workspace, message_id);
CREATE INDEX events_subject ON events (workspace, subject, ts);
CREATE INDEX events_ts ON events (workspace, ts);
CREATE INDEX events_scan ON events (workspace, seq);
CREATE TABLE users (
  workspace TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, traits TEXT NOT NULL, created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL, PRIMARY KEY (workspace, id)
);
CREATE TABLE profiles (
  workspace TEXT COLLATE "C" NOT NULL, subject TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (workspace, subject)
);
CREATE TABLE consent (
  seq BIGSERIAL PRIMARY KEY, workspace TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  purposes TEXT NOT NULL, source TEXT NOT NULL, policy_version TEXT, at BIGINT NOT NULL
);
CREATE INDEX consent_user ON consent (workspace, user_id, seq);
CREATE TABLE identity_links (
  workspace TEXT COLLATE "C" NOT NULL, anonymous_id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL, PRIMARY KEY (workspace, anonymous_id)
);
CREATE INDEX identity_links_user ON identity_links (workspace, user_id);
CREATE TABLE blobs (
  workspace TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, data BYTEA NOT NULL, meta TEXT NOT NULL,
  updated_at BIGINT NOT NULL, PRIMARY KEY (workspace, name)
);
CREATE TABLE docs (
  workspace TEXT COLLATE "C" NOT NULL, collection TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C", body TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (workspace, collection, id)
);
CREATE INDEX docs_subject ON docs (workspace, subject);
CREATE INDEX docs_recent ON docs (workspace, collection, created_at);
CREATE TABLE api_keys (
  id TEXT COLLATE "C" PRIMARY KEY, workspace TEXT COLLATE "C" NOT NULL, scope TEXT NOT NULL, name TEXT,
  hash TEXT COLLATE "C" NOT NULL UNIQUE, root BOOLEAN NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT
);
CREATE INDEX api_keys_workspace ON api_keys (workspace);
CREATE TABLE counters (
  workspace TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, value BIGINT NOT NULL,
  PRIMARY KEY (workspace, name)
);
`,
  },
];
