-- paris_desk team schema, version 6: settings changes are audited too ("settings": which
-- accounts need approval, later the team's other settings).

ALTER TABLE paris_desk.audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE paris_desk.audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'team_init', 'member_add', 'join', 'submit', 'approve', 'reject', 'publish', 'reply',
    'delete', 'like', 'repost', 'mute', 'block', 'report', 'assign', 'handle', 'filter',
    'settings'));
