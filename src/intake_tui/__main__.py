"""``python -m intake_tui`` runs the ``intake`` command."""

import sys

from intake_tui.cli.main import main

sys.exit(main())
