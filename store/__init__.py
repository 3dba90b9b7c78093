"""The record: an append-only, hash-chained SQLite event log."""
