"""Hostile runbooks through `lastgood validate` and `declare --runbook` (review 5, part 1):
one line naming the place, exit 2, quickly; counted, not timed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml.scanner

from runbooks import yaml_compose
from runbooks.limits import MAX_BYTES, MAX_DEPTH
from tests.cli_helpers import InProcessCli

DEEP = f"YAML is nested too deeply (limit {MAX_DEPTH} levels)"


@pytest.fixture
def cli(tmp_path: Path) -> InProcessCli:
    return InProcessCli(tmp_path / "incidents.db")


class Searches:
    """Stands for `_READ_OTHERWISE`, the regular expression that tried every bracket of a
    line of `[` to the end of the text: records each text it is asked about."""

    def __init__(self, real: re.Pattern[str]) -> None:
        self.real = real
        self.asked: list[int] = []

    def search(self, text: str) -> re.Match[str] | None:
        self.asked.append(len(text))
        if len(text) > 10_000:  # would take minutes: answered as libyaml's, unread
            return None
        return self.real.search(text)


def deep_files(tmp_path: Path) -> list[tuple[Path, int]]:
    """The review's files: a closed nest of 100,000 (23.6 s before) and one of `[` to the
    1 MiB limit (killed after 900 s); with the column of the bracket too deep."""
    closed = tmp_path / "d100000.yaml"
    closed.write_text("runbook: x\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n")
    head = "runbook: x\ntitle: "
    open1m = tmp_path / "open1m.yaml"
    open1m.write_text(head + "[" * (MAX_BYTES - len(head) - 1) + "\n")
    assert open1m.stat().st_size == MAX_BYTES
    # the root mapping and 64 brackets above the 65th: it is the node too deep
    return [(closed, len("title: ") + MAX_DEPTH + 1), (open1m, len("title: ") + MAX_DEPTH + 1)]


@pytest.mark.parametrize("verb", ["validate", "declare"])
def test_a_runbook_nested_deep_is_refused_at_the_bracket_reading_no_further(
    cli: InProcessCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verb: str
) -> None:
    """Neither the look for what libyaml reads otherwise nor libyaml reads the text, and
    the Python scanner stops at the bracket too deep: before, it read 1,024 characters
    on (1,094 tokens, each a look at every bracket still open)."""
    searches = Searches(yaml_compose._READ_OTHERWISE)
    monkeypatch.setattr(yaml_compose, "_READ_OTHERWISE", searches)
    tokens = 0
    real_fetch = yaml.scanner.Scanner.fetch_more_tokens

    def counting(scanner: yaml.scanner.Scanner) -> None:
        nonlocal tokens
        tokens += 1
        real_fetch(scanner)

    monkeypatch.setattr(yaml_compose._BoundedLoader, "fetch_more_tokens", counting)
    for path, col in deep_files(tmp_path):
        searches.asked.clear()
        tokens = 0
        if verb == "validate":
            result = cli.run("validate", str(path))
            prefix = ""
        else:
            args = ["--title", "t", "--severity", "SEV3", "--commander", "A"]
            result = cli.run("declare", *args, "--runbook", str(path))
            prefix = "lastgood declare: runbook: "
        assert result.code == 2
        assert result.out == ""
        assert result.err.splitlines() == [f"{prefix}{path}:2:{col}: {DEEP}"]
        assert searches.asked == []
        assert tokens <= 2 * MAX_DEPTH, tokens
    assert not (tmp_path / "incidents.db").exists()


SELF_NAMED = """\
# A runbook whose phase takes its steps from itself.
runbook: sf
title: Self
# comments read as Markdown were '# ' title headings, one problem each
phases:
  # the one phase
  - id: a
    title: A
    steps_from: {name}
"""


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("sf.yaml", "sf.yaml"),
        ("./sf.yaml", "sf.yaml"),
        ('"../d/sf.yaml"', "../d/sf.yaml"),
        ("link.yaml", "link.yaml"),  # a symbolic link to it
    ],
)
def test_steps_from_naming_the_runbook_itself_says_so_in_one_line(
    cli: InProcessCli, tmp_path: Path, name: str, shown: str
) -> None:
    """Read as Markdown, the runbook gave a line per YAML comment ("a second '# ' title
    heading"), none saying it names itself."""
    folder = tmp_path / "d"
    folder.mkdir()
    runbook = folder / "sf.yaml"
    runbook.write_text(SELF_NAMED.format(name=name))
    (folder / "link.yaml").symlink_to(runbook)
    result = cli.run("validate", str(runbook))
    assert result.code == 2
    col = len("    steps_from: ") + 1
    assert result.err.splitlines() == [
        f"{runbook}:9:{col}: steps_from: {folder}/{shown} is this runbook itself; "
        "steps_from takes a Markdown checklist ('- [ ] ' tasks)"
    ]


def test_steps_from_naming_another_yaml_file_says_it_takes_markdown(
    cli: InProcessCli, tmp_path: Path
) -> None:
    (tmp_path / "other.yml").write_text("# steps\nrunbook: other\n# more\n")
    runbook = tmp_path / "main.yaml"
    runbook.write_text(SELF_NAMED.format(name="other.yml"))
    result = cli.run("validate", str(runbook))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{runbook}:9:17: steps_from: {tmp_path}/other.yml is a YAML file; "
        "steps_from takes a Markdown checklist ('- [ ] ' tasks)"
    ]


@pytest.mark.parametrize(
    ("window", "got"),
    [
        # read as T+0 to T+999999999 (minutes), the digits past nine and the unit dropped
        ("T+0 to T+99999999999999999999 days", "99999999999999999999 days"),
        ("T+0 to T+1234567890", "1234567890"),  # was "got 123456789"
        ("T+0 to T+8 days", "8 days, 11520 minutes"),
        ("T+0 to T+20000", "20000"),
        ("T+20000 to T+30000 hours", "30000 hours, 1800000 minutes"),
        ("T+1 to T+" + "9" * 5000 + " minutes", "999999999999… (5000 digits) minutes"),
    ],
)
def test_a_window_too_long_is_quoted_as_written(
    cli: InProcessCli, tmp_path: Path, window: str, got: str
) -> None:
    plan = tmp_path / "m1.md"
    plan.write_text(f"## Phase one ({window})\n- [ ] Do it\n")
    result = cli.run("validate", str(plan))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{plan}:1:14: window minutes must be at most 10080 (got {got})"
    ]


def test_an_environment_reference_in_a_template_is_told_with_its_dollar(
    cli: InProcessCli, tmp_path: Path
) -> None:
    """`${LASTGOOD_DB}` was told as "unknown placeholder '{LASTGOOD_DB}'": the `$` dropped,
    and nothing saying templates do not read the environment, as URLs do."""
    runbook = tmp_path / "tpl.yaml"
    runbook.write_text(
        "runbook: t\ntitle: T\ntemplates:\n"
        '  note: "DB at ${LASTGOOD_DB} for {issue}; $${issue} and ${{x}} are text"\n'
        "phases:\n  - {id: a, title: A, steps: [{id: s, title: S}]}\n"
    )
    result = cli.run("validate", str(runbook))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{runbook}:4:17: template 'note': unknown placeholder '${{LASTGOOD_DB}}': a template "
        "does not read the environment, only URLs and headers do (allowed: channel, "
        "commander, elapsed, eta, from_version, id, issue, last_good_version, next_update, "
        "next_update_sentence, pattern, phase, rollback_sentence, service_now, severity, "
        "status, time, title, version_now)"
    ]
