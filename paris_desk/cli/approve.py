"""``paris-desk approve ID``: see ``cli.approvals``."""

from paris_desk.cli.approvals import register_approve as register

__all__ = ["register"]
