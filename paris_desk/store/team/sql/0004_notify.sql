-- paris_desk team schema, version 4: live changes through LISTEN/NOTIFY.
--
-- Every change a colleague's screen (or the worker) must see is announced on the channel
-- "paris_desk" when its transaction commits, as a small JSON payload (far below the 8,000
-- bytes limit): a job queued or changing state, a submission or its decision, an assignment.
-- Listeners read the rows themselves; the payload only says what to look at.

CREATE FUNCTION paris_desk.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
    ELSE
        payload := json_build_object('kind', 'assignment', 'account', NEW.account_id,
                                     'item', NEW.item_id, 'assigned_to', NEW.assigned_to);
    END IF;
    PERFORM pg_notify('paris_desk', payload::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_jobs_notify AFTER INSERT OR UPDATE ON paris_desk.outbox_jobs
    FOR EACH ROW EXECUTE FUNCTION paris_desk.notify_change();
CREATE TRIGGER approvals_notify AFTER INSERT OR UPDATE ON paris_desk.approvals
    FOR EACH ROW EXECUTE FUNCTION paris_desk.notify_change();
CREATE TRIGGER inbox_triage_notify AFTER INSERT OR UPDATE ON paris_desk.inbox_triage
    FOR EACH ROW EXECUTE FUNCTION paris_desk.notify_change();
