-- paris_desk team schema, version 3: who takes care of an inbox item.
--
-- An item is one notification of one account (the id `paris-desk inbox --json` prints:
-- "<account id>/<notification id>"). Any member may assign an item to a member (themselves
-- included); the assignment is replaced by the next one. The notifications themselves stay in
-- each workstation's cache: only the team's decisions are shared.

CREATE TABLE paris_desk.inbox_triage (
    account_id text NOT NULL,
    item_id text NOT NULL,
    assigned_to text,
    assigned_by text,
    assigned_at timestamptz,
    PRIMARY KEY (account_id, item_id)
);
CREATE INDEX inbox_triage_assigned ON paris_desk.inbox_triage (assigned_to);
GRANT SELECT, INSERT, UPDATE ON paris_desk.inbox_triage TO paris_desk_redacteur;

-- The assigner is the database role, whatever the client writes.
ALTER TABLE paris_desk.inbox_triage ENABLE ROW LEVEL SECURITY;
CREATE POLICY triage_read ON paris_desk.inbox_triage FOR SELECT TO paris_desk_redacteur
    USING (true);
CREATE POLICY triage_assign ON paris_desk.inbox_triage FOR INSERT TO paris_desk_redacteur
    WITH CHECK (assigned_by = current_user);
CREATE POLICY triage_reassign ON paris_desk.inbox_triage FOR UPDATE TO paris_desk_redacteur
    USING (true) WITH CHECK (assigned_by = current_user);
