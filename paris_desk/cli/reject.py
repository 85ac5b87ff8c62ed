"""``paris-desk reject ID --comment TEXT``: see ``cli.approvals``."""

from paris_desk.cli.approvals import register_reject as register

__all__ = ["register"]
