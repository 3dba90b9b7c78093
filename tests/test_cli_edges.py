"""The CLI at its edges: scripts and pipes, bytes that are not UTF-8, no terminal.

Every case runs the real entry point as a separate process, the way a shell, a
pipeline or cron meets it; the declarations before it and the reads of the record
after it run the same `main` in-process.
"""

from __future__ import annotations

import asyncio
import json
import os
import pty
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import ROOT, Cli, InProcessCli, lastgood_command
from tests.test_cli_messages import RUNBOOK
from tests.webhook_receivers import WebhookReceiver
from tui.cli import edges

NOT_A_TERMINAL = (
    "not a terminal: the TUI needs one; use `lastgood status` or `monitor` in scripts\n"
)


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def declare(cli: Cli, *extra: str) -> str:
    out = cli.ok("declare", "--title", "Edges", "--severity", "SEV3", "--commander", "A", *extra)
    return out.strip()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, str]:
    """An incident whose report cannot fit in a pipe's buffer (64 KiB on Linux).

    Only read by the tests that use it.
    """
    cli = Cli(tmp_path_factory.mktemp("big") / "big.db")
    incident_id = declare(cli.in_process())
    with SqliteEventLog.open(cli.db) as log:
        session = IncidentSession(log, incident_id, SystemClock())
        for n in range(100):
            session.run(
                lambda s, n=n: commands.add_note(
                    s, f"observation {n}: " + "x" * 2000, actor="tester", clock=session.clock
                )
            )
    return cli, incident_id


def test_version_is_the_package_version(tmp_path: Path) -> None:
    result = Cli(tmp_path / "unused.db").run("--version")
    assert (result.code, result.out, result.err) == (0, f"lastgood {pyproject_version()}\n", "")
    assert not (tmp_path / "unused.db").exists()


def test_version_in_a_source_checkout_without_metadata_is_pyproject_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib import metadata

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert edges.package_version() == pyproject_version()


async def test_declare_prints_the_id_alone_when_a_message_goes_out(tmp_path: Path) -> None:
    """`id=$(lastgood declare ...)`: what was sent and delivered goes to stderr."""
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK)
    cli = Cli(tmp_path / "incident.db")
    args = [
        *("declare", "--title", "Checkout 5xx", "--severity", "SEV1", "--commander", "Ada"),
        *("--issue", "checkout errors", "--eta", "15", "--runbook", str(runbook)),
    ]
    script = (
        f"id=$({shlex.join([*lastgood_command(), *args])}) || exit 9\n"
        'printf "%s" "$id" > id.txt\n'
        f'{shlex.join(lastgood_command())} status "$id" --json > status.json\n'
    )
    async with WebhookReceiver() as hook:
        cli.env["HOOK"] = hook.url()
        direct = await asyncio.to_thread(cli.run, *args)
        scripted = await asyncio.to_thread(
            subprocess.run,
            ["bash", "-c", script],
            cwd=tmp_path,
            env=cli.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert len(hook.requests) == 2, "each declaration sent its auto message"
    assert direct.code == 0, direct.err
    assert re.fullmatch(r"INC-\d{8}-[0-9A-F]{4}\n", direct.out), direct.out
    assert "Message sent automatically: Initiating rollback" in direct.err
    assert "Delivered to team" in direct.err
    assert scripted.returncode == 0, scripted.stderr
    incident_id = (tmp_path / "id.txt").read_text()
    assert json.loads((tmp_path / "status.json").read_text())["id"] == incident_id


def into_closed_pipe(
    cli: Cli, *args: str, lines_read: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run with stdout on a pipe whose reader reads `lines_read` lines, then closes."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [*lastgood_command(), *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env or cli.env,
        cwd=ROOT,
        text=True,
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        for _ in range(lines_read):
            assert reader.readline(), "the command printed nothing"
    err = process.communicate(timeout=60)[1]
    return subprocess.CompletedProcess(process.args, process.returncode, "", err)


@pytest.mark.parametrize(
    "args",
    [
        ("status", "{id}"),
        ("status", "{id}", "--json"),
        ("list",),
        ("export", "{id}"),
        ("export", "{id}", "--format", "json"),
        ("verify", "--all"),
        ("--help",),
    ],
    ids=lambda args: " ".join(args),
)
def test_a_closed_stdout_ends_quietly_with_141(big: tuple[Cli, str], args: tuple[str, ...]) -> None:
    cli, incident_id = big
    done = into_closed_pipe(cli, *(a.format(id=incident_id) for a in args), lines_read=0)
    assert (done.returncode, done.stderr) == (edges.CLOSED_PIPE_EXIT, "")


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
def test_a_reader_that_stops_after_one_line_of_a_big_export(
    big: tuple[Cli, str], unbuffered: str
) -> None:
    """The write is cut off mid-way; under `python -u` Python would drop the rest silently."""
    cli, incident_id = big
    env = {**cli.env, "PYTHONUNBUFFERED": unbuffered}
    assert len(cli.in_process().ok("export", incident_id)) > 150_000  # the set-up holds
    for args in (["export", incident_id], ["timeline", incident_id]):
        done = into_closed_pipe(cli, *args, lines_read=1, env=env)
        assert (done.returncode, done.stderr) == (edges.CLOSED_PIPE_EXIT, "")


def test_head_1_in_a_shell_pipeline(big: tuple[Cli, str]) -> None:
    cli, incident_id = big
    for args in (f"export {incident_id}", f"status {incident_id}", "list"):
        shell = subprocess.run(
            ["bash", "-o", "pipefail", "-c", f"{shlex.join(lastgood_command())} {args} | head -1"],
            env=cli.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=ROOT,
        )
        assert shell.stdout.count("\n") == 1
        assert "Traceback" not in shell.stderr and "BrokenPipe" not in shell.stderr
        assert shell.stderr == ""
        # 0 when head read all there was before leaving, 141 when a write found it gone
        assert shell.returncode in (0, edges.CLOSED_PIPE_EXIT)


def test_a_recorded_note_stays_recorded_when_its_confirmation_cannot_be_printed(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "pipe.db")
    incident_id = declare(cli.in_process())
    done = into_closed_pipe(cli, "note", incident_id, "printed to nobody", lines_read=0)
    assert (done.returncode, done.stderr) == (edges.CLOSED_PIPE_EXIT, "")
    record = json.loads(cli.in_process().ok("export", incident_id, "--format", "json"))
    notes = [e["payload"]["text"] for e in record["events"] if e["kind"] == "note.added"]
    assert notes == ["printed to nobody"]


def run_bytes(cli: Cli, *args: str | bytes, env: dict[str, str] | None = None) -> tuple:
    done = subprocess.run(
        [*lastgood_command(), *args],
        env=env or cli.env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def notes_of(cli: Cli, incident_id: str) -> list[str]:
    record = json.loads(cli.in_process().ok("export", incident_id, "--format", "json"))
    return [e["payload"]["text"] for e in record["events"] if e["kind"] == "note.added"]


def test_an_argument_that_is_not_utf8_is_one_line_and_nothing_is_recorded(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "bytes.db")
    incident_id = declare(cli.in_process())
    assert run_bytes(cli, "note", incident_id, b"\xff") == (
        2,
        "",
        "lastgood note: error: argument 2 is not valid UTF-8 (byte 0xff at position 0)\n",
    )
    assert run_bytes(cli, "note", incident_id, "caf\u00e9 ok".encode() + b" \xe9t\xe9")[2] == (
        "lastgood note: error: argument 2 is not valid UTF-8 (byte 0xe9 at position 9)\n"
    )
    assert run_bytes(cli, "--as", "Ann", "note", incident_id, b"\xff")[2] == (
        "lastgood note: error: argument 2 is not valid UTF-8 (byte 0xff at position 0)\n"
    )
    assert run_bytes(cli, "--db", b"/tmp/\xfe.db", "list")[::2] == (
        2,
        "lastgood: error: argument 2 is not valid UTF-8 (byte 0xfe at position 5)\n",
    )
    assert run_bytes(cli, "check", incident_id, "assess-severity", "--note", b"\x80")[2] == (
        "lastgood check: error: argument 4 is not valid UTF-8 (byte 0x80 at position 0)\n"
    )
    assert notes_of(cli, incident_id) == []
    assert "ok, 2 events" in cli.in_process().ok("verify", incident_id)  # its commander's step


@pytest.mark.parametrize("variable", ["LASTGOOD_USER", "LASTGOOD_DB"])
def test_an_environment_value_that_is_not_utf8_is_one_line(tmp_path: Path, variable: str) -> None:
    cli = Cli(tmp_path / "env.db")
    incident_id = declare(cli.in_process())
    if variable == "LASTGOOD_USER":
        raw, args = b"ad\xffa", ["--db", str(cli.db), "note", incident_id, "hello"]
    else:
        raw, args = os.fsencode(tmp_path) + b"/x\xff.db", ["note", incident_id, "hello"]
    env = {**cli.env, variable: os.fsdecode(raw)}
    assert run_bytes(cli, *args, env=env) == (
        2,
        "",
        f"lastgood note: ${variable} is not valid UTF-8 "
        f"(byte 0xff at position {raw.index(0xFF)})\n",
    )
    assert notes_of(cli, incident_id) == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("x")]


def without_terminal(cli: Cli, *args: str, stdin_tty: bool = False) -> tuple[int, str, str]:
    """stdout to a file and stdin from /dev/null, or from a pseudo-terminal."""
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [*lastgood_command(), *args],
            stdin=secondary if stdin_tty else subprocess.DEVNULL,
            capture_output=True,
            env=cli.env,
            cwd=ROOT,
            text=True,
            timeout=60,  # a guard against the hang this test is about, not the assertion
            check=False,
        )
    finally:
        os.close(primary)
        os.close(secondary)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("args", "verb"),
    [
        ((), "start"),
        (("start",), "start"),
        (("start", "--incident", "{id}"), "start"),
        (("start", "{id}"), "start"),
        (("{id}",), "start"),
        (("--db", "{db}", "{id}", "--no-probes"), "start"),
        (("attach", "{id}"), "attach"),
        (("replay", "{id}"), "replay"),
        (("replay", "{id}", "--paused"), "replay"),
        (("demo",), "demo"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else v,
)
def test_the_tui_without_a_terminal_is_one_line(
    big: tuple[Cli, str], args: tuple[str, ...], verb: str
) -> None:
    cli, incident_id = big
    argv = [a.format(id=incident_id, db=cli.db) for a in args]
    assert without_terminal(cli, *argv) == (2, "", f"lastgood {verb}: {NOT_A_TERMINAL}")
    assert without_terminal(cli, *argv, stdin_tty=True) == (
        2,
        "",
        f"lastgood {verb}: {NOT_A_TERMINAL}",
    )


def test_start_given_two_incidents_says_so_in_one_line(big: tuple[Cli, str]) -> None:
    cli, incident_id = big
    assert without_terminal(cli, "start", incident_id, "--incident", "INC-0-NOPE") == (
        2,
        "",
        f"lastgood start: error: '{incident_id}' and --incident 'INC-0-NOPE' name two "
        "incidents: give one (see --help)\n",
    )


def test_no_terminal_creates_no_database(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "never.db")
    assert without_terminal(cli, "start")[0] == 2
    assert list(tmp_path.iterdir()) == []


def test_scripted_faces_of_the_tui_verbs_still_run_without_a_terminal(
    big: tuple[Cli, str],
) -> None:
    cli, incident_id = big
    code, out, _ = without_terminal(cli, "replay", incident_id, "--json")
    assert code == 0 and json.loads(out)["id"] == incident_id


def test_attach_behind_serve_s_web_driver_needs_no_terminal(big: tuple[Cli, str]) -> None:
    """`lastgood serve` runs `attach` on pipes with $TEXTUAL_DRIVER: it must start."""
    cli, incident_id = big
    process = subprocess.Popen(
        [*lastgood_command(), "attach", incident_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**cli.env, "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"},
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # blocks until the app speaks, or exits
    finally:
        process.kill()
        _, err = process.communicate(timeout=30)
    assert first == b"__GANGLION__\n", err.decode()


def test_verify_all_goes_on_past_an_incident_it_cannot_read(tmp_path):
    """A corrupt page under one incident ended `verify --all` at it (exit 2), never
    checking the others, and `--json` printed nothing at all (a review)."""
    import json as json_module

    db = tmp_path / "paged.db"
    cli = InProcessCli(db)
    declared = ("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada")
    big = cli.ok(*declared).strip()
    for _ in range(60):  # its rows fill pages of their own
        cli.ok("note", big, "x" * 3_000)
    small = cli.ok(*declared).strip()
    with db.open("r+b") as raw:  # a page in the middle of the first incident's rows
        raw.seek(20 * 4096 + 1500)
        raw.write(b"\xff" * 200)
    text = cli.run("verify", "--all")
    assert text.code == 1, text.err
    lines = text.out.splitlines()
    assert lines[0].startswith(f"{big}: BROKEN at start: unreadable: ")
    assert lines[1].startswith(f"{small}: ok, 2 events, head ")  # and its commander's step
    verdicts = json_module.loads(cli.run("verify", "--all", "--json").out)
    assert [(v["id"], v["ok"]) for v in verdicts] == [(big, False), (small, True)]
