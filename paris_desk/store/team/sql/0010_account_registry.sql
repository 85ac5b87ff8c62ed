-- paris_desk team schema, version 10: the team's account registry, filled by its members.
--
-- A workstation that adds an account (its credentials in that workstation's keychain) also
-- registers it with the team: its id, network and handle, never a secret. Any member may
-- register one; only admins change its settings (requires_approval) or remove it.

GRANT INSERT (id, network, handle) ON paris_desk.accounts TO paris_desk_redacteur;
