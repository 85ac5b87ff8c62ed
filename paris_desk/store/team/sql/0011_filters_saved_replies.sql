-- paris_desk team schema, version 11: the team's filters and saved replies.
--
-- The same rows as a lone profile's (store/migrations.py FILTERS, SAVED_REPLIES), shared by the
-- whole team: a filter added on one workstation hides the same posts on every other, and a
-- saved reply written by one member is offered to all. Every member reads and changes them
-- (they are tools for composing and triage, which every role does); who changed a filter is
-- in the audit log ("filter"). A link says that one account's server holds a filter; the
-- account may be registered with the team later (no foreign key to accounts).

CREATE TABLE paris_desk.filters (
    id text PRIMARY KEY,
    text text NOT NULL,
    regex boolean NOT NULL DEFAULT false,
    accounts text NOT NULL DEFAULT '[]',   -- JSON list of account ids; [] = every account
    action text NOT NULL,                  -- paris_desk.core.filters.FilterAction
    created_us bigint NOT NULL,
    removed boolean NOT NULL DEFAULT false, -- removed here, still on a server (sync retries)
    created_by text NOT NULL DEFAULT current_user
);
CREATE TABLE paris_desk.filter_links (
    filter_id text NOT NULL REFERENCES paris_desk.filters (id) ON DELETE CASCADE,
    account_id text NOT NULL,
    remote_id text NOT NULL,
    PRIMARY KEY (filter_id, account_id)
);
CREATE TABLE paris_desk.saved_replies (
    id text PRIMARY KEY,
    title text NOT NULL,
    text text NOT NULL,                    -- with placeholders: {auteur}, {pseudo}, {compte}
    position integer NOT NULL DEFAULT 0,
    created_us bigint NOT NULL,
    created_by text NOT NULL DEFAULT current_user
);

GRANT SELECT, INSERT, DELETE
    ON paris_desk.filters, paris_desk.filter_links, paris_desk.saved_replies
    TO paris_desk_redacteur;
GRANT UPDATE (text, regex, accounts, action, removed) ON paris_desk.filters
    TO paris_desk_redacteur;
GRANT UPDATE (remote_id) ON paris_desk.filter_links TO paris_desk_redacteur;
GRANT UPDATE (title, text, position) ON paris_desk.saved_replies TO paris_desk_redacteur;

-- Only the team's members; whoever adds a filter or a saved reply signs it as themselves.
ALTER TABLE paris_desk.filters ENABLE ROW LEVEL SECURITY;
ALTER TABLE paris_desk.filter_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE paris_desk.saved_replies ENABLE ROW LEVEL SECURITY;
CREATE POLICY filters_read ON paris_desk.filters FOR SELECT TO paris_desk_redacteur
    USING (true);
CREATE POLICY filters_add ON paris_desk.filters FOR INSERT TO paris_desk_redacteur
    WITH CHECK (created_by = current_user);
CREATE POLICY filters_change ON paris_desk.filters FOR UPDATE TO paris_desk_redacteur
    USING (true) WITH CHECK (true);
CREATE POLICY filters_forget ON paris_desk.filters FOR DELETE TO paris_desk_redacteur
    USING (removed);
CREATE POLICY filter_links_team ON paris_desk.filter_links TO paris_desk_redacteur
    USING (true) WITH CHECK (true);
CREATE POLICY saved_replies_read ON paris_desk.saved_replies FOR SELECT TO paris_desk_redacteur
    USING (true);
CREATE POLICY saved_replies_add ON paris_desk.saved_replies FOR INSERT TO paris_desk_redacteur
    WITH CHECK (created_by = current_user);
CREATE POLICY saved_replies_change ON paris_desk.saved_replies FOR UPDATE
    TO paris_desk_redacteur USING (true) WITH CHECK (true);
CREATE POLICY saved_replies_remove ON paris_desk.saved_replies FOR DELETE
    TO paris_desk_redacteur USING (true);
