"""The README's command-line walkthrough and post-mortem run as written.

Every ```sh block in "Running an incident from the command line" and "After the
incident" is run, in order, as one `bash -e` script against a fresh database, with
`lastgood` on PATH as this worktree's CLI and nobody named in the environment (the
README must say who is acting). Blocks meant only as illustration are fenced
`console` or `text`, so the rule stays simple: a `sh` block runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("Running an incident from the command line", "After the incident")
RUNNABLE = "sh"
ILLUSTRATION = {"console", "text"}


def section_blocks(markdown: str, title: str) -> list[tuple[str, str]]:
    """(language, code) of each fenced block under the heading `title`, up to the next
    heading of the same or a higher level."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    blocks: list[tuple[str, str]] = []
    level: int | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            depth = int(token.tag[1])
            if level is not None and depth <= level:
                break
            if level is None and tokens[index + 1].content == title:
                level = depth
        elif level is not None and token.type == "fence":
            blocks.append((token.info.strip(), token.content))
    assert level is not None, f"README has no heading {title!r}"
    return blocks


def readme_script() -> str:
    markdown = (ROOT / "README.md").read_text(encoding="utf-8")
    parts: list[str] = []
    for title in SECTIONS:
        blocks = section_blocks(markdown, title)
        for language, _code in blocks:
            assert language == RUNNABLE or language in ILLUSTRATION, (
                f"{title!r}: a ```{language} block; fence it sh to run, or console/text"
            )
        runnable = [code for language, code in blocks if language == RUNNABLE]
        assert runnable, f"{title!r} has no sh block"
        parts.extend(runnable)
    return "\n".join(parts)


def user_environment(tmp_path: Path) -> dict[str, str]:
    """A shell as a newcomer has it: `lastgood` on PATH, a fresh database, no name set."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "lastgood"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tui.cli "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"LASTGOOD_USER", "LASTGOOD_ACTOR", "LASTGOOD_DB", "PYTHONPATH"}
    }
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        LASTGOOD_DB=str(tmp_path / "incidents.db"),
        HOME=str(home),  # no git user.name from the developer's own config
        GIT_CONFIG_NOSYSTEM="1",
        TZ="UTC",
    )
    return env


def test_every_sh_block_of_the_walkthrough_and_post_mortem_runs(tmp_path: Path) -> None:
    script = readme_script()
    for needed in ("lastgood declare", "lastgood close", "lastgood export", "lastgood verify"):
        assert needed in script, f"the walkthrough no longer shows {needed}"
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = user_environment(tmp_path)
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (
        f"the README's commands failed (exit {done.returncode}):\n{done.stderr[-3000:]}"
    )
    listed = subprocess.run(
        ["lastgood", "list", "--json"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (incident,) = json.loads(listed.stdout)
    status = json.loads(
        subprocess.run(
            ["lastgood", "status", incident["id"], "--json"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    )
    assert status["status"] == "closed", status
    finished = {"done", "skipped"}
    open_steps = [step["id"] for step in status["steps"] if step["state"] not in finished]
    assert open_steps == [], "the walkthrough closes with no step left open"
    report = (workdir / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# Incident report: Checkout errors after 2.4.1")
