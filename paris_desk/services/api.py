"""What the shells (the window, the command line) use from the layers below the services.

ui/ and cli/ never import ``paris_desk.store``: they call the application core
(``services.desk.Desk``) and name the plain types it hands back, which live in the store
because the store writes them. This module is the one door; the import-linter contract
"the shells never reach the store" (pyproject.toml) holds every other import out.
"""

from __future__ import annotations

from paris_desk.store.codec import CodecError
from paris_desk.store.db import KnownStoreError, StoreErrorCode
from paris_desk.store.drafts import DraftStore, TargetGroup
from paris_desk.store.inbox import Assigned, Handled, Handling
from paris_desk.store.keychain import Keychain
from paris_desk.store.outbox import Job, JobState
from paris_desk.store.profile import Profile
from paris_desk.store.redaction import MASK, redact, register_secret

__all__ = [
    "MASK",
    "Assigned",
    "CodecError",
    "DraftStore",
    "Handled",
    "Handling",
    "Job",
    "JobState",
    "Keychain",
    "KnownStoreError",
    "Profile",
    "StoreErrorCode",
    "TargetGroup",
    "redact",
    "register_secret",
]
