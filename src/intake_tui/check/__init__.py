"""``intake check``: one pipeline for a single case and for JSONL and CSV batches."""
