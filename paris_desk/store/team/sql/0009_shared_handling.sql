-- paris_desk team schema, version 9: "traité par Marie à 10:42" is the team's.
--
-- Whether an inbox item was handled (answered or dismissed), by whom and when, moves to
-- inbox_triage beside its assignment; the notifications stay in each workstation's cache.
-- handled_by is the database role (a trigger signs it), and every change is announced.

ALTER TABLE paris_desk.inbox_triage
    ADD COLUMN handled text NOT NULL DEFAULT '',      -- '' | 'answered' | 'dismissed'
    ADD COLUMN handled_by text,
    ADD COLUMN handled_at timestamptz,
    ADD COLUMN reply_uri text NOT NULL DEFAULT '';

DROP POLICY triage_assign ON paris_desk.inbox_triage;
DROP POLICY triage_reassign ON paris_desk.inbox_triage;
CREATE POLICY triage_write ON paris_desk.inbox_triage FOR INSERT TO paris_desk_redacteur
    WITH CHECK (true);
CREATE POLICY triage_rewrite ON paris_desk.inbox_triage FOR UPDATE TO paris_desk_redacteur
    USING (true) WITH CHECK (true);

-- Whoever changes an assignment or a handling signs it, with the database's time: a client
-- cannot write in another's name (this replaces version 3's row-level checks).
CREATE FUNCTION paris_desk.triage_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.assigned_to IS DISTINCT FROM OLD.assigned_to THEN
        IF NEW.assigned_to IS NULL THEN
            NEW.assigned_by := NULL;
            NEW.assigned_at := NULL;
        ELSE
            NEW.assigned_by := current_user;
            NEW.assigned_at := now();
        END IF;
    ELSE
        NEW.assigned_by := OLD.assigned_by;
        NEW.assigned_at := OLD.assigned_at;
    END IF;
    IF TG_OP = 'INSERT' OR NEW.handled IS DISTINCT FROM OLD.handled
       OR NEW.reply_uri IS DISTINCT FROM OLD.reply_uri THEN
        IF NEW.handled = '' THEN
            NEW.handled_by := NULL;
            NEW.handled_at := NULL;
            NEW.reply_uri := '';
        ELSE
            NEW.handled_by := current_user;
            NEW.handled_at := coalesce(NEW.handled_at, now());
        END IF;
    ELSE
        NEW.handled_by := OLD.handled_by;
        NEW.handled_at := OLD.handled_at;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER inbox_triage_stamp BEFORE INSERT OR UPDATE ON paris_desk.inbox_triage
    FOR EACH ROW EXECUTE FUNCTION paris_desk.triage_stamp();

CREATE OR REPLACE FUNCTION paris_desk.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload json;
BEGIN
    IF TG_TABLE_NAME = 'outbox_jobs' THEN
        IF TG_OP = 'UPDATE' AND NEW.state = OLD.state AND NEW.not_before_us = OLD.not_before_us
        THEN
            RETURN NULL;
        END IF;
        payload := json_build_object('kind', 'job', 'id', NEW.id, 'state', NEW.state,
                                     'account', NEW.account_id,
                                     'not_before_us', NEW.not_before_us);
    ELSIF TG_TABLE_NAME = 'approvals' THEN
        payload := json_build_object('kind', 'approval', 'id', NEW.id, 'state', NEW.state,
                                     'author', NEW.author);
    ELSIF TG_OP = 'UPDATE' AND NEW.handled IS DISTINCT FROM OLD.handled THEN
        payload := json_build_object('kind', 'handled', 'account', NEW.account_id,
                                     'item', NEW.item_id, 'handled', NEW.handled,
                                     'handled_by', NEW.handled_by);
    ELSIF TG_OP = 'INSERT' AND NEW.handled <> '' THEN
        payload := json_build_object('kind', 'handled', 'account', NEW.account_id,
                                     'item', NEW.item_id, 'handled', NEW.handled,
                                     'handled_by', NEW.handled_by);
    ELSE
        payload := json_build_object('kind', 'assignment', 'account', NEW.account_id,
                                     'item', NEW.item_id, 'assigned_to', NEW.assigned_to);
    END IF;
    PERFORM pg_notify('paris_desk', payload::text);
    RETURN NULL;
END
$$;
