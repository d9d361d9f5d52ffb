"""The ``intake`` command line: the parser and one module per group of commands."""
