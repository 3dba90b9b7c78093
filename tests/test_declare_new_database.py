"""`declare` says when it makes a new database, so a mistyped `--db` is seen at once.

A `--db` naming a file that is not there made it (and its directories) without a
word, and the next verbs, given the right path, read the other file: the record was
split across two. The line is on stderr; stdout keeps the ID alone for `id=$(...)`.
"""

from __future__ import annotations

from tests.cli_helpers import Cli

DECLARE = ("declare", "--title", "T", "--severity", "SEV2", "--commander", "Ada")


def test_the_first_declare_names_the_new_file_and_the_second_does_not(tmp_path):
    db = tmp_path / "misspelt" / "dir" / "incidents.db"
    cli = Cli(db, actor="ada")
    first = cli.run(*DECLARE)
    assert first.code == 0
    assert first.out.startswith("INC-") and first.out.count("\n") == 1
    assert f"lastgood declare: a new database at {db}\n" in first.err
    second = cli.run(*DECLARE)
    assert second.code == 0
    assert "a new database" not in second.err
