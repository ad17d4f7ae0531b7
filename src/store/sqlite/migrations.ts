/** Versioned schema for the embedded store. Append new versions; never edit a released one. */
export const SQLITE_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE workspaces (id TEXT PRIMARY KEY, name TEXT, created_at INTEGER NOT NULL);
CREATE TABLE items (
  workspace TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, available INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, PRIMARY KEY (workspace, id)
) WITHOUT ROWID;
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace TEXT NOT NULL, message_id TEXT NOT NULL, type TEXT NOT NULL, subject TEXT NOT NULL,
  user_id TEXT, anonymous_id TEXT, item_id TEXT, value REAL, query TEXT, channel TEXT,
  recommendation_id TEXT, variant TEXT, ts INTEGER NOT NULL, received_at INTEGER NOT NULL, properties TEXT
);
CREATE UNIQUE INDEX events_message ON events (workspace, message_id);
CREATE INDEX events_subject ON events (workspace, subject, ts);
CREATE INDEX events_ts ON events (workspace, ts);
CREATE TABLE users (
  workspace TEXT NOT NULL, id TEXT NOT NULL, traits TEXT NOT NULL, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, PRIMARY KEY (workspace, id)
) WITHOUT ROWID;
CREATE TABLE profiles (
  workspace TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (workspace, subject)
) WITHOUT ROWID;
CREATE TABLE consent (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, workspace TEXT NOT NULL, user_id TEXT NOT NULL,
  purposes TEXT NOT NULL, source TEXT NOT NULL, policy_version TEXT, at INTEGER NOT NULL
);
CREATE INDEX consent_user ON consent (workspace, user_id, seq);
CREATE TABLE identity_links (
  workspace TEXT NOT NULL, anonymous_id TEXT NOT NULL, user_id TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (workspace, anonymous_id)
) WITHOUT ROWID;
CREATE INDEX identity_links_user ON identity_links (workspace, user_id);
CREATE TABLE blobs (
  workspace TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL, meta TEXT NOT NULL,
  updated_at INTEGER NOT NULL, PRIMARY KEY (workspace, name)
);
CREATE TABLE docs (
  workspace TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, subject TEXT, body TEXT NOT NULL,
  created_at INTEGER NOT NULL, PRIMARY KEY (workspace, collection, id)
);
CREATE INDEX docs_subject ON docs (workspace, subject);
CREATE INDEX docs_recent ON docs (workspace, collection, created_at);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, workspace TEXT NOT NULL, scope TEXT NOT NULL, name TEXT, hash TEXT NOT NULL UNIQUE,
  root INTEGER NOT NULL, created_at INTEGER NOT NULL, last_used_at INTEGER
);
CREATE TABLE counters (
  workspace TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (workspace, name)
) WITHOUT ROWID;
`,
  },
  {
    // A profile is about 1 KB: too big for a WITHOUT ROWID table, whose cells spill to overflow pages past
    // ~1,000 bytes (and secure_delete zeroes each freed one), so rewriting one cost twice the CPU of a row
    // in an ordinary table (issue 13).
    version: 2,
    name: 'profiles-rowid',
    sql: `
CREATE TABLE profiles_rowid (
  workspace TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (workspace, subject)
);
INSERT INTO profiles_rowid (workspace, subject, body) SELECT workspace, subject, body FROM profiles;
DROP TABLE profiles;
ALTER TABLE profiles_rowid RENAME TO profiles;
`,
  },
];
