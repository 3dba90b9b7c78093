"""The incident domain: events, the state fold, clocks and commands.

Nothing in this package imports Textual, Rich or sqlite3; `tests/test_boundaries.py`
holds that line.
"""
