-- paris_desk team schema, version 7: the database keeps a job's life cycle.
--
-- Every member may change a job's state (any workstation sends), so the rules that keep a
-- post from going out twice, or after it was cancelled, are checked here for every client:
--   a cancelled job stays cancelled;
--   a job becomes SENT only naming its post (result_uri);
--   a SENT job stays SENT, except when it gives its post back to the job that made it
--   (PENDING again, no post, error_kind 'Interrupted': store.team.outbox.mark_sent);
--   only a PENDING job is claimed (SENDING).

CREATE FUNCTION paris_desk.outbox_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = OLD.state THEN
        RETURN NEW;
    END IF;
    IF OLD.state = 4 THEN
        RAISE EXCEPTION 'job %: a cancelled job stays cancelled', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.state = 2 AND NEW.result_uri = '' THEN
        RAISE EXCEPTION 'job %: a sent job names its post', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state = 2 AND NOT (NEW.state = 0 AND NEW.result_uri = ''
                              AND NEW.error_kind = 'Interrupted') THEN
        RAISE EXCEPTION 'job %: a sent job stays sent', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.state = 1 AND OLD.state <> 0 THEN
        RAISE EXCEPTION 'job %: only a pending job is claimed', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER outbox_jobs_transition BEFORE UPDATE OF state ON paris_desk.outbox_jobs
    FOR EACH ROW EXECUTE FUNCTION paris_desk.outbox_transition();
