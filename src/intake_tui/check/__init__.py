"""``intake check``: one pipeline for a single case and for JSONL and CSV batches, and what a change of rules does (diff, reform)."""
