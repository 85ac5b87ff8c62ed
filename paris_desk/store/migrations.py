"""The database schema, as an append-only list of migrations.

Migration number N (1-based: ``MIGRATIONS[N - 1]``) takes ``PRAGMA user_version`` from N - 1
to N. ``Database`` runs each missing one in its own ``BEGIN IMMEDIATE`` transaction together
with the version bump, so a failed migration leaves the previous version intact.

How to add a table or column (a later feature):
  1. append ONE new string at the end of ``MIGRATIONS`` (never edit or reorder a migration
     that has shipped: profiles in the field already ran it);
  2. write plain SQL statements separated by ``;`` — no BEGIN/COMMIT, no ``user_version``;
  3. add a test in ``tests/store/`` that opens a database at the previous version (pass
     ``MIGRATIONS[:N - 1]`` to ``Database``), writes a row, then reopens it with the full list.

No column ever holds a secret (token, password, session): those live in the OS keychain.
"""

from __future__ import annotations

ACCOUNTS = """
CREATE TABLE accounts (
    id           TEXT PRIMARY KEY,
    network      TEXT NOT NULL,
    handle       TEXT NOT NULL,
    base_url     TEXT NOT NULL,
    user_id      TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    label        TEXT NOT NULL DEFAULT '',
    color        TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0
);
"""

POSTS_CACHE = """
CREATE TABLE cached_posts (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    uri        TEXT NOT NULL,
    sort_us    INTEGER NOT NULL,  -- Post.sort_time in microseconds since the Unix epoch (UTC)
    post_json  TEXT NOT NULL,     -- paris_desk.store.codec.dumps(post)
    PRIMARY KEY (account_id, uri)
);
CREATE INDEX cached_posts_by_time ON cached_posts (account_id, sort_us DESC);
"""

OUTBOX = """
CREATE TABLE outbox_jobs (
    id              INTEGER PRIMARY KEY,
    batch_id        TEXT NOT NULL,     -- one click on Publish (usually the draft id)
    account_id      TEXT NOT NULL,
    part            INTEGER NOT NULL DEFAULT 0,  -- position in a split thread
    network         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,     -- Mastodon Idempotency-Key, Bluesky record key (TID)
    request_json    TEXT NOT NULL,     -- the PostRequest without media bytes (outbox_media)
    state           INTEGER NOT NULL,  -- paris_desk.store.outbox.JobState
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before_us   INTEGER NOT NULL DEFAULT 0,  -- scheduled time or retry back-off
    locked_at_us    INTEGER NOT NULL DEFAULT 0,
    created_us      INTEGER NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    error_kind      TEXT NOT NULL DEFAULT '',
    result_uri      TEXT NOT NULL DEFAULT '',
    result_url      TEXT NOT NULL DEFAULT '',
    result_json     TEXT NOT NULL DEFAULT '',
    UNIQUE (account_id, idempotency_key)
);
CREATE INDEX outbox_due ON outbox_jobs (state, not_before_us);
CREATE INDEX outbox_batch ON outbox_jobs (batch_id, part);
CREATE TABLE outbox_media (
    job_id    INTEGER NOT NULL REFERENCES outbox_jobs(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    alt       TEXT NOT NULL,
    width     INTEGER NOT NULL DEFAULT 0,
    height    INTEGER NOT NULL DEFAULT 0,
    file_name TEXT NOT NULL DEFAULT '',
    data      BLOB NOT NULL,
    PRIMARY KEY (job_id, position)
);
"""

INBOX = """
CREATE TABLE inbox_notifications (
    account_id        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id                TEXT NOT NULL,     -- the network's notification id (Bluesky: its URI)
    created_us        INTEGER NOT NULL,  -- Notification.created_at, microseconds since the epoch
    kind              TEXT NOT NULL,     -- NotificationKind value
    server_unread     INTEGER NOT NULL,  -- unread on the server at the last fetch (0/1)
    notification_json TEXT NOT NULL,     -- paris_desk.store.codec.notification_to_json
    PRIMARY KEY (account_id, id)
);
CREATE INDEX inbox_by_time ON inbox_notifications (account_id, created_us DESC);
CREATE TABLE inbox_state (
    account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    notification_id TEXT NOT NULL,
    handled         TEXT NOT NULL DEFAULT '',  -- '', 'answered' or 'dismissed'
    handled_us      INTEGER NOT NULL DEFAULT 0,
    reply_uri       TEXT NOT NULL DEFAULT '',  -- the answer sent from the inbox
    unread_override INTEGER,                   -- NULL: the server's state; 1/0: set by the user
    PRIMARY KEY (account_id, notification_id)
);
"""

DRAFTS = """
CREATE TABLE drafts (
    id         TEXT PRIMARY KEY,
    updated_us INTEGER NOT NULL,  -- last save, microseconds since the Unix epoch (UTC)
    draft_json TEXT NOT NULL      -- paris_desk.store.codec.dumps(draft)
);
CREATE INDEX drafts_by_time ON drafts (updated_us DESC);
CREATE TABLE target_groups (
    name        TEXT PRIMARY KEY,  -- "Tous les comptes Paris", "Culture"
    account_ids TEXT NOT NULL,     -- JSON list of account ids, in the user's order
    position    INTEGER NOT NULL DEFAULT 0
);
"""

OUTBOX_OWNERS = """
ALTER TABLE outbox_jobs ADD COLUMN lock_host  TEXT NOT NULL DEFAULT '';    -- paris_desk.store.owner
ALTER TABLE outbox_jobs ADD COLUMN lock_pid   INTEGER NOT NULL DEFAULT 0;  -- 0: no owner recorded
ALTER TABLE outbox_jobs ADD COLUMN lock_start TEXT NOT NULL DEFAULT '';    -- the owner's start mark
-- One server post belongs to one job. Before this rule a probe could give a job the post of
-- another job with the same text (issue 11): the later job's post was never made. Those jobs
-- become FAILED with the truth, for the user to retry (never re-sent behind their back).
UPDATE outbox_jobs SET state = 3, error_kind = 'Interrupted',
    last_error = 'its post was another job''s (issue 11): retry to send it',
    result_uri = '', result_url = '', result_json = ''
WHERE result_uri != '' AND EXISTS (
    SELECT 1 FROM outbox_jobs o WHERE o.account_id = outbox_jobs.account_id
    AND o.result_uri = outbox_jobs.result_uri AND o.id < outbox_jobs.id);
CREATE UNIQUE INDEX outbox_result ON outbox_jobs (account_id, result_uri) WHERE result_uri != '';
"""

FILTERS = """
CREATE TABLE filters (
    id         TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    regex      INTEGER NOT NULL DEFAULT 0,
    accounts   TEXT NOT NULL DEFAULT '[]',  -- JSON list of account ids; [] = every account
    action     TEXT NOT NULL,               -- paris_desk.core.filters.FilterAction
    created_us INTEGER NOT NULL,
    removed    INTEGER NOT NULL DEFAULT 0   -- 1: removed here, still on a server (sync retries)
);
-- A filter as one account's server holds it (Mastodon filter v2 keyword, Bluesky muted word).
CREATE TABLE filter_links (
    filter_id  TEXT NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id  TEXT NOT NULL,
    PRIMARY KEY (filter_id, account_id)
);
"""

SAVED_REPLIES = """
CREATE TABLE saved_replies (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,   -- how the reply box's menu names it
    text       TEXT NOT NULL,   -- with placeholders: {auteur}, {pseudo}, {compte}
    position   INTEGER NOT NULL DEFAULT 0,
    created_us INTEGER NOT NULL
);
"""

REQUEST_DECISIONS = """
-- "Demandes" on Bluesky (strangers' mentions): what the user decided per sender, kept here
-- because the server keeps nothing of it (Mastodon keeps its own notification requests).
CREATE TABLE request_decisions (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL,     -- the sender's DID
    accepted   INTEGER NOT NULL,  -- 1: into the inbox from now on; 0: dismissed
    decided_us INTEGER NOT NULL,
    PRIMARY KEY (account_id, author_id)
);
"""

MIGRATIONS: tuple[str, ...] = (
    ACCOUNTS,  # 1
    POSTS_CACHE,  # 2
    OUTBOX,  # 3
    INBOX,  # 4
    DRAFTS,  # 5
    OUTBOX_OWNERS,  # 6
    FILTERS,  # 7
    SAVED_REPLIES,  # 8
    REQUEST_DECISIONS,  # 9
)
