"""Writing to the path given with -o: whole or not at all, on real files, links and FIFOs."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
from pathlib import Path

import pytest

from incident.app.whole_file import write_whole
from tests.cli_helpers import InProcessCli, lastgood_command

REPORT = [b"# Incident report\n", b"line two\n"]


def listing(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


def test_a_new_file_is_written_whole_and_nothing_else_is_left(tmp_path):
    write_whole(tmp_path / "report.md", iter(REPORT))
    assert (tmp_path / "report.md").read_bytes() == b"".join(REPORT)
    assert listing(tmp_path) == ["report.md"]


def test_a_directory_is_refused_and_no_scratch_file_is_left(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError):
        write_whole(tmp_path / "out", iter(REPORT))
    assert listing(tmp_path) == ["out"] and listing(tmp_path / "out") == []


def test_a_failed_check_keeps_the_old_file_and_leaves_no_scratch(tmp_path):
    old = tmp_path / "lastgood.yaml"
    old.write_bytes(b"the team's runbook\n")

    def refuse(scratch: Path) -> None:
        assert scratch.read_bytes() == b"".join(REPORT)
        raise ValueError("does not load")

    with pytest.raises(ValueError, match="does not load"):
        write_whole(old, iter(REPORT), check=refuse)
    assert old.read_bytes() == b"the team's runbook\n"
    assert listing(tmp_path) == ["lastgood.yaml"]


def test_a_symbolic_link_is_refused_and_what_it_names_is_left_alone(tmp_path):
    """It was written through: a link planted in a shared directory had the report
    written wherever it pointed (a security review, #1)."""
    real = tmp_path / "reports" / "INC-1.md"
    real.parent.mkdir()
    real.write_bytes(b"older\n")
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    with pytest.raises(OSError, match="is a symbolic link: not written through it") as refused:
        write_whole(link, iter(REPORT))
    assert str(refused.value) == f"{link} is a symbolic link: not written through it"
    assert link.is_symlink() and real.read_bytes() == b"older\n"
    assert listing(tmp_path) == ["latest.md", "reports"] and listing(real.parent) == ["INC-1.md"]


def test_a_dangling_link_is_refused_and_nothing_is_created_where_it_points(tmp_path):
    """A dangling link made the file it named: `/etc/cron.d/x` for root."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "report.md"
    link.symlink_to(elsewhere / "planted")
    with pytest.raises(OSError, match="is a symbolic link: not written through it"):
        write_whole(link, iter(REPORT), check=lambda scratch: None)
    assert listing(elsewhere) == [] and listing(tmp_path) == ["elsewhere", "report.md"]


def test_a_link_to_a_fifo_is_refused_too(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "out").symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # written through, it would not block
    try:
        with pytest.raises(OSError, match="is a symbolic link: not written through it"):
            write_whole(tmp_path / "out", iter(REPORT))
        assert os.read(reader, 1 << 16) == b""
    finally:
        os.close(reader)


@pytest.mark.parametrize("checked", [False, True])
def test_a_fifo_is_streamed_into_and_stays_a_fifo(tmp_path, checked):
    """Renaming a scratch file over it replaced it, as it replaced /dev/full for root."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # The read end, open before the write and never blocking: the report fits in the
    # pipe's buffer, and a FIFO replaced by a file reads as empty rather than hanging.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    seen: list[bytes] = []
    try:
        write_whole(
            fifo, iter(REPORT), check=(lambda s: seen.append(s.read_bytes())) if checked else None
        )
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert received == b"".join(REPORT)
    assert seen == ([b"".join(REPORT)] if checked else [])
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert listing(tmp_path) == ["pipe"]


def test_a_rewritten_file_keeps_its_permissions_and_a_new_one_is_0600(tmp_path):
    """The scratch file's 0600 replaced a report's 0640 (a hostile review); a new one
    was 0644 under umask 022 while the record it copies is 0600 (a security review, #5)."""
    shared = tmp_path / "shared.md"
    shared.write_bytes(b"older\n")
    shared.chmod(0o640)
    write_whole(shared, iter(REPORT))
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    before = os.umask(0o022)
    try:
        write_whole(tmp_path / "new.md", iter(REPORT))
        write_whole(tmp_path / "checked.md", iter(REPORT), check=lambda scratch: None)
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "checked.md").stat().st_mode) == 0o600


def test_a_link_that_loops_is_an_os_error_not_a_runtime_error(tmp_path):
    """`Path.resolve` raised RuntimeError, which the CLI showed as a traceback."""
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    with pytest.raises(OSError, match=r"loop\.md is a symbolic link"):
        write_whole(loop, iter(REPORT))


# --- as a user runs it --------------------------------------------------------------------


def shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`command` in bash, with `lastgood` on the PATH and a record with one incident
    declared as `$ID` (in this process: set-up, the command's verbs are the processes)."""
    lastgood = shlex.join(lastgood_command())
    script = f'lastgood() {{ {lastgood} "$@"; }}\n{command}'
    declared = InProcessCli(tmp_path / "r.db", actor="ada").ok(
        "declare", "--title", "T", "--severity", "SEV2", "--commander", "A"
    )
    env = {**os.environ, "LASTGOOD_DB": str(tmp_path / "r.db"), "LASTGOOD_USER": "ada"}
    env["ID"] = declared.strip()
    return subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


def test_dev_stdout_appended_to_a_file_keeps_what_the_file_held(tmp_path):
    """`-o /dev/stdout >> log` was followed to the log and a fresh file renamed over
    it: the log's earlier lines were lost (a hostile review)."""
    done = shell(
        'echo "IMPORTANT HEADER" > log.txt\n'
        'lastgood export "$ID" -o /dev/stdout >> log.txt\n'
        'lastgood export "$ID" -o /dev/fd/1 >> log.txt',
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "log.txt").read_text().splitlines()
    assert lines[0] == "IMPORTANT HEADER"
    assert sum(line.startswith("# Incident report") for line in lines) == 2


def test_dev_stdout_into_a_pipe_is_written(tmp_path):
    """It named no file in a pipe ("cannot write: No such file or directory")."""
    done = shell('lastgood export "$ID" -o /dev/stdout | head -c 17', tmp_path)
    assert (done.returncode, done.stdout) == (0, "# Incident report")


def test_odd_outputs_are_one_line_each(tmp_path):
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    for output, said in (
        ("loop.md", "loop.md is a symbolic link: not written through it"),
        (".", ".: cannot write: Is a directory"),
        ("", "--output: the path is empty"),
    ):
        done = shell(f'lastgood export "$ID" -o "{output}"', tmp_path)
        assert done.returncode == 2, done
        assert said in done.stderr and done.stderr.count("\n") == 1, done.stderr
        assert "Traceback" not in done.stderr


def test_a_dash_prints_as_most_tools_read_it(tmp_path):
    """`-o -` wrote a file named '-'."""
    done = shell('lastgood export "$ID" -o -', tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("# Incident report")
    assert not (tmp_path / "-").exists()


def test_check_step_needs_a_report_that_is_kept(tmp_path):
    """`--check-step -o /dev/null` ticked "Document the incident" with no report."""
    done = shell(
        'lastgood export "$ID" --check-step -o /dev/null\nlastgood status "$ID" --json',
        tmp_path,
    )
    assert "--check-step needs the report kept in a file: /dev/null is not one" in done.stderr
    steps = {s["id"]: s["state"] for s in json.loads(done.stdout)["steps"]}
    assert steps["document-incident"] == "open"


@pytest.mark.parametrize(
    "command",
    [
        'lastgood export "$ID" -o out.md',
        'lastgood export "$ID" -o out.json',  # the format its name says
        'lastgood timeline "$ID" -o out.md',
        'lastgood close "$ID" --force --reason drill >/dev/null\n'
        'lastgood schedule-postmortem "$ID" --at 2030-01-01T10:00:00Z --reason later >/dev/null\n'
        'lastgood ics "$ID" -o out.ics',  # a calendar in out.md is refused (its name)
        'lastgood export "$ID" --check-step -o out.md',
        "lastgood init --service shop --no-health-probe --no-version-probe --no-prometheus"
        " --method custom --rollback-command true -o out.md --force </dev/null",
    ],
    ids=["export", "json", "timeline", "ics", "check-step", "init"],
)
@pytest.mark.parametrize("dangling", [False, True], ids=["link", "dangling"])
def test_every_verb_writing_a_named_file_refuses_a_link_in_one_line(tmp_path, command, dangling):
    """`-o FILE` followed a link, a dangling one too (a security review, #1)."""
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("precious\n")
    out = tmp_path / next(name for name in ("out.json", "out.ics", "out.md") if name in command)
    out.symlink_to(victim)
    done = shell(command, tmp_path)
    assert done.returncode == 2, done
    said = f"{out.name} is a symbolic link: not written through it\n"
    assert done.stderr.endswith(said), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert out.is_symlink()
    assert victim.read_text() == "precious\n" if not dangling else not victim.exists()


def test_every_file_a_verb_writes_is_0600_under_umask_022(tmp_path):
    """Exports, the timeline, the calendar file and init's runbook were 0644 (#5)."""
    done = shell(
        "umask 022\n"
        'lastgood export "$ID" -o report.md >/dev/null\n'
        'lastgood export "$ID" --format json -o record.json >/dev/null\n'
        'lastgood timeline "$ID" -o timeline.md >/dev/null\n'
        'lastgood close "$ID" --force --reason drill >/dev/null\n'
        'lastgood schedule-postmortem "$ID" --at 2030-01-01T10:00:00Z --reason later >/dev/null\n'
        'lastgood ics "$ID" -o meeting.ics >/dev/null\n'
        "lastgood init --service shop --no-health-probe --no-version-probe --no-prometheus"
        " --method custom --rollback-command true -o shop.yaml </dev/null >/dev/null",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    for name in ("report.md", "record.json", "timeline.md", "meeting.ics", "shop.yaml"):
        assert oct(stat.S_IMODE((tmp_path / name).stat().st_mode)) == oct(0o600), name
