-- paris_desk team schema, version 2: a submission carries what will be sent.
--
-- The author's workstation runs the whole publishing pipeline (checks, images re-encoded,
-- link card, thread split, schedule) before submitting, and the approval keeps its result:
-- a validateur approves exactly what was checked, even without the author's image files.
-- Approving turns the plan into outbox jobs in the same transaction as the decision.

ALTER TABLE paris_desk.approvals
    ADD COLUMN text text NOT NULL DEFAULT '',
    ADD COLUMN plan_json text NOT NULL DEFAULT '';
CREATE INDEX approvals_pending ON paris_desk.approvals (submitted_at) WHERE state = 'pending';
