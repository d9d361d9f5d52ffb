"""``python -m intake_tui`` runs the ``intake`` command."""

import sys

from intake_tui.cli import main

sys.exit(main())
