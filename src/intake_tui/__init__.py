"""intake_tui: a guided intake assistant for Dutch passend onderwijs."""

__version__ = "0.1.0"
