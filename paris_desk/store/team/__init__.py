"""Team mode: the state a communications team shares, in PostgreSQL (issue 16).

``database`` is the connection (psycopg 3, imported only here and only in team mode), ``schema``
the versioned plain-SQL migrations in ``sql/``, ``members`` the roles and the audit log,
``outbox`` the shared outbox behind the same interface as ``store.outbox``; ``filters`` and
``replies`` the team's filters and saved replies behind those of ``store.filters`` and
``store.replies``; ``approvals``, ``triage`` and ``inbox`` what only a team has.
"""
