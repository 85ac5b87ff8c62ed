-- paris_desk team schema, version 5: a sender on another host that dies is seen at once.
--
-- A claim also takes a session-level advisory lock on the job (key 0x50440000000 + id) on the
-- claimer's connection, and records that it did (session_locked). The lock lives as long as
-- that connection: when the sender's process dies, its connection closes and the lock goes.
-- Another host's `recover` tries the lock: free means the sender is gone, and the job is taken
-- back now rather than after the time limit (which still applies to a sender that hangs).

ALTER TABLE paris_desk.outbox_jobs ADD COLUMN session_locked boolean NOT NULL DEFAULT false;
GRANT UPDATE (session_locked) ON paris_desk.outbox_jobs TO paris_desk_redacteur;
