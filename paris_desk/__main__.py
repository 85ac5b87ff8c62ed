"""Allow ``python -m paris_desk``."""

from paris_desk.cli.main import main

raise SystemExit(main())
