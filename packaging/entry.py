"""Entry point of the frozen app (PyInstaller): ``paris-desk`` as installed by pip.

``PARIS_DESK_FROZEN_CHECK=1`` runs the build's self-check instead (packaging/frozen_check.py).
"""

import os
import sys

if __name__ == "__main__":
    if os.environ.get("PARIS_DESK_FROZEN_CHECK") == "1":
        from frozen_check import main
    else:
        from paris_desk.cli.main import main
    sys.exit(main())
