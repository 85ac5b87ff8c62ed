-- paris_desk team schema, version 1: group roles, the shared outbox, approvals, the audit log.
--
-- Applied by `paris-desk team init` in one transaction with its row in schema_version
-- (store/team/schema.py), by a role that owns the database and may create roles. Everything
-- lives in the schema paris_desk; members get privileges through three group roles only:
--   paris_desk_redacteur   compose, submit for approval, triage, send due jobs
--   paris_desk_validateur  + approve, reject, publish directly to any account
--   paris_desk_admin       + members, settings, accounts
-- Each group is a member of the one before, so pg_has_role(…, 'member') follows the ladder.
-- Group roles are cluster-wide (one team per PostgreSQL cluster); they are created only when
-- missing, so a re-run or a second database does not fail.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'paris_desk_redacteur') THEN
        CREATE ROLE paris_desk_redacteur NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'paris_desk_validateur') THEN
        CREATE ROLE paris_desk_validateur NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'paris_desk_admin') THEN
        CREATE ROLE paris_desk_admin NOLOGIN;
    END IF;
END
$$;
GRANT paris_desk_redacteur TO paris_desk_validateur;
GRANT paris_desk_validateur TO paris_desk_admin;

CREATE SCHEMA paris_desk;
REVOKE ALL ON SCHEMA paris_desk FROM PUBLIC;
GRANT USAGE ON SCHEMA paris_desk TO paris_desk_redacteur;

CREATE TABLE paris_desk.schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT current_user
);
GRANT SELECT ON paris_desk.schema_version TO paris_desk_redacteur;

-- The team's accounts (no secret: tokens stay in each host's keychain).
CREATE TABLE paris_desk.accounts (
    id text PRIMARY KEY,                 -- the same id as a workstation's registry
    network text NOT NULL,
    handle text NOT NULL,
    requires_approval boolean NOT NULL DEFAULT false,
    added_at timestamptz NOT NULL DEFAULT now(),
    added_by text NOT NULL DEFAULT current_user
);
GRANT SELECT ON paris_desk.accounts TO paris_desk_redacteur;
GRANT INSERT, UPDATE, DELETE ON paris_desk.accounts TO paris_desk_admin;

-- The shared outbox: the same rows as the local outbox (store/outbox.py), plus who queued it.
CREATE TABLE paris_desk.outbox_jobs (
    id bigserial PRIMARY KEY,
    batch_id text NOT NULL,
    account_id text NOT NULL,
    part integer NOT NULL DEFAULT 0,
    network text NOT NULL,
    idempotency_key text NOT NULL,
    request_json text NOT NULL,
    state smallint NOT NULL DEFAULT 0,   -- JobState: 0 pending 1 sending 2 sent 3 failed 4 cancelled
    attempts integer NOT NULL DEFAULT 0,
    not_before_us bigint NOT NULL DEFAULT 0,
    locked_at_us bigint NOT NULL DEFAULT 0,
    lock_host text NOT NULL DEFAULT '',
    lock_pid integer NOT NULL DEFAULT 0,
    lock_start text NOT NULL DEFAULT '',
    last_error text NOT NULL DEFAULT '',
    error_kind text NOT NULL DEFAULT '',
    result_uri text NOT NULL DEFAULT '',
    result_url text NOT NULL DEFAULT '',
    result_json text NOT NULL DEFAULT '',
    created_us bigint NOT NULL,
    created_by text NOT NULL DEFAULT current_user,
    UNIQUE (account_id, idempotency_key)
);
CREATE UNIQUE INDEX outbox_jobs_one_post_one_job ON paris_desk.outbox_jobs (account_id, result_uri)
    WHERE result_uri <> '';
CREATE INDEX outbox_jobs_waiting ON paris_desk.outbox_jobs (not_before_us, id) WHERE state = 0;
CREATE INDEX outbox_jobs_state ON paris_desk.outbox_jobs (state);
CREATE INDEX outbox_jobs_batch ON paris_desk.outbox_jobs (batch_id, part);

CREATE TABLE paris_desk.outbox_media (
    job_id bigint NOT NULL REFERENCES paris_desk.outbox_jobs (id) ON DELETE CASCADE,
    position integer NOT NULL,
    mime_type text NOT NULL,
    alt text NOT NULL DEFAULT '',
    width integer NOT NULL DEFAULT 0,
    height integer NOT NULL DEFAULT 0,
    file_name text NOT NULL DEFAULT '',
    data bytea NOT NULL,
    PRIMARY KEY (job_id, position)
);

-- Every member reads the outbox and sends due jobs (any online workstation may): the columns
-- a send changes, and no others. Queueing a job is publishing: for an account that needs
-- approval only a validateur may (row-level security below).
GRANT SELECT, INSERT ON paris_desk.outbox_jobs, paris_desk.outbox_media TO paris_desk_redacteur;
GRANT USAGE ON SEQUENCE paris_desk.outbox_jobs_id_seq TO paris_desk_redacteur;
GRANT UPDATE (state, attempts, not_before_us, locked_at_us, lock_host, lock_pid, lock_start,
              last_error, error_kind, result_uri, result_url, result_json)
    ON paris_desk.outbox_jobs TO paris_desk_redacteur;

ALTER TABLE paris_desk.outbox_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY outbox_read ON paris_desk.outbox_jobs FOR SELECT TO paris_desk_redacteur
    USING (true);
CREATE POLICY outbox_send ON paris_desk.outbox_jobs FOR UPDATE TO paris_desk_redacteur
    USING (true) WITH CHECK (true);
CREATE POLICY outbox_queue ON paris_desk.outbox_jobs FOR INSERT TO paris_desk_redacteur
    WITH CHECK (
        created_by = current_user
        AND (pg_has_role(current_user, 'paris_desk_validateur', 'member')
             OR NOT EXISTS (SELECT FROM paris_desk.accounts a
                            WHERE a.id = account_id AND a.requires_approval))
    );

-- Publications submitted for approval. The author writes them; only a validateur decides
-- (column grants: a redacteur's UPDATE of the decision is "permission denied"), and never on
-- a submission of their own (row-level security).
CREATE TABLE paris_desk.approvals (
    id bigserial PRIMARY KEY,
    author text NOT NULL DEFAULT current_user,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    draft_json text NOT NULL,
    targets text[] NOT NULL,
    schedule timestamptz,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by text,
    decided_at timestamptz,
    comment text NOT NULL DEFAULT '',
    batch_id text
);
GRANT SELECT, INSERT ON paris_desk.approvals TO paris_desk_redacteur;
GRANT USAGE ON SEQUENCE paris_desk.approvals_id_seq TO paris_desk_redacteur;
GRANT UPDATE (state, decided_by, decided_at, comment, batch_id)
    ON paris_desk.approvals TO paris_desk_validateur;

ALTER TABLE paris_desk.approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY approvals_read ON paris_desk.approvals FOR SELECT TO paris_desk_redacteur
    USING (true);
CREATE POLICY approvals_submit ON paris_desk.approvals FOR INSERT TO paris_desk_redacteur
    WITH CHECK (author = current_user AND state = 'pending' AND decided_by IS NULL);
CREATE POLICY approvals_decide ON paris_desk.approvals FOR UPDATE TO paris_desk_validateur
    USING (state = 'pending' AND author <> current_user)
    WITH CHECK (decided_by = current_user);

-- The audit log: append-only for every role, the owner included. No UPDATE/DELETE/TRUNCATE
-- grant, and triggers that raise on any of them; the actor is always the database role.
CREATE TABLE paris_desk.audit_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor text NOT NULL DEFAULT current_user,
    workstation text NOT NULL DEFAULT '',
    account text NOT NULL DEFAULT '',
    action text NOT NULL CHECK (action IN (
        'team_init', 'member_add', 'join', 'submit', 'approve', 'reject', 'publish', 'reply',
        'delete', 'like', 'repost', 'mute', 'block', 'report', 'assign', 'handle', 'filter')),
    url text NOT NULL DEFAULT '',
    detail text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON paris_desk.audit_log (at);
REVOKE ALL ON paris_desk.audit_log FROM PUBLIC;
GRANT SELECT, INSERT ON paris_desk.audit_log TO paris_desk_redacteur;
GRANT USAGE ON SEQUENCE paris_desk.audit_log_id_seq TO paris_desk_redacteur;

CREATE FUNCTION paris_desk.audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.actor := current_user;        -- nobody writes in another's name
    NEW.at := clock_timestamp();      -- nor at another time
    RETURN NEW;
END
$$;
CREATE FUNCTION paris_desk.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_stamp BEFORE INSERT ON paris_desk.audit_log
    FOR EACH ROW EXECUTE FUNCTION paris_desk.audit_stamp();
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON paris_desk.audit_log
    FOR EACH ROW EXECUTE FUNCTION paris_desk.audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON paris_desk.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION paris_desk.audit_append_only();
