"""Markdown task lists (`deployment-plan.md`, `rollback-checklist.md`) as runbooks.

The shape teams already write::

    # Rollback checklist                       <- runbook title (optional)
    Text under the title                       <- runbook description

    ## Execute Rollback (T+5 to T+30 minutes)  <- a phase, with its window
    - [ ] Switch the load balancer back        <- a check step
      Indented lines and sub-bullets           <- the step's guidance
    - [ ] **Smoke test:** log in, check out    <- title "Smoke test", the rest guidance
    - [ ] Warm the caches (optional)           <- not required
    - [ ] Page on-call {#page-on-call}         <- an explicit step id

This module reads the syntax; `runbooks.markdown_runbook` makes the runbook.
Windows are read from headings as `(T+0 to T+5 minutes)`, `T+5-30` (hyphen or en dash),
`T+5-30m`, `T+45+` or `T+45` (open-ended), in minutes unless the heading says hours or
days (`T+0 to T+2 hours`, `T+1 day`, `T+30 min to T+2 h`: a unit written once holds for
both edges); seconds, weeks and other units are refused. A leading `Phase 2:` is dropped
from phase titles (a heading that is only `Phase 1` keeps it). Step and phase ids are
slugs of their titles, made unique. Sections without tasks are prose and are skipped,
unless their heading gives a window.
"""

from __future__ import annotations

import re
import textwrap

from msgspec import Struct, field

from runbooks.checks import id_problem, too_long
from runbooks.limits import MAX_PROSE_CHARS, MAX_TITLE_CHARS
from runbooks.markdown_notes import NESTED_BOX, nested_note, ticked_note
from runbooks.markdown_window import find_window, read_window
from runbooks.model import Window
from runbooks.problems import Problem

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_BULLET = re.compile(r"^( {0,3})([-*+])[ \t]+")
_CHECKBOX = re.compile(r"\[([ xX])\](?:[ \t]+(.*))?$")
_FENCE = re.compile(r"^([ \t]*)(```+|~~~+)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_EXPLICIT_ID = re.compile(r"[ \t]*\{#([^}]*)\}[ \t]*$")
_OPTIONAL = re.compile(r"[ \t]*\(optional\)[ \t]*$", re.IGNORECASE)
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*(.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_PHASE_PREFIX = re.compile(
    r"^(?:(?:phase|stage|step)[ \t]+\d+[ \t]*[:.)\u2013\u2014-]?|\d+[.)])[ \t]*", re.IGNORECASE
)


class MarkdownTask(Struct, frozen=True):
    """One `- [ ] task` line and what belongs to it."""

    title: str
    guidance: str
    required: bool
    explicit_id: str | None
    line: int
    col: int


class MarkdownSection(Struct):
    """A `## ` heading and the tasks under it."""

    heading: str
    """The heading text as written."""
    title: str
    """The heading without its window and `Phase N:` prefix."""
    window: Window | None
    line: int
    col: int
    summary: list[str] = field(default_factory=list)
    tasks: list[MarkdownTask] = field(default_factory=list)


class MarkdownDoc(Struct, eq=False):
    """A parsed Markdown task list; `problems` holds mistakes in its syntax.

    Compared by identity (`eq=False`): a parse result is never compared, and its
    `by_name` cache must not make two parses of one file differ."""

    file: str
    title: str | None = None
    description: list[str] = field(default_factory=list)
    description_line: int = 1
    """Where the description starts, for its problem."""
    loose_tasks: list[MarkdownTask] = field(default_factory=list)
    """Tasks before the first `## ` heading."""
    sections: list[MarkdownSection] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What loads otherwise than written (`runbooks.markdown_notes`)."""
    empty: bool = False
    by_name: dict[str, MarkdownSection] | None = None
    """Sections by casefolded title and heading, made on first use (after parsing):
    a YAML runbook may look a section up once per phase."""

    def all_tasks(self) -> list[MarkdownTask]:
        return self.loose_tasks + [task for section in self.sections for task in section.tasks]

    def section(self, name: str) -> MarkdownSection | None:
        """The first section whose title or heading is `name`, ignoring case."""
        if self.by_name is None:
            self.by_name = {}
            for section in self.sections:
                self.by_name.setdefault(section.title.casefold(), section)
                self.by_name.setdefault(section.heading.casefold(), section)
        return self.by_name.get(name.strip().casefold())

    def titles(self) -> dict[str, None]:
        """The section titles in order, for messages."""
        return dict.fromkeys(section.title for section in self.sections)


class _OpenTask(Struct):
    line: int
    col: int
    text: str
    box_col: int
    """Column of the `[`."""
    guidance: list[str] = field(default_factory=list)
    pending_blank: bool = False


class _Parser:
    def __init__(self, file: str) -> None:
        self.doc = MarkdownDoc(file)
        self.task: _OpenTask | None = None
        self.fence: str | None = None
        self.fence_in_task = False
        self.lazy_ok = False
        self.number = 0

    def problem(self, line: int, col: int, message: str) -> None:
        self.doc.problems.append(Problem(self.doc.file, line, col, message))

    def text_target(self) -> list[str]:
        if self.doc.sections:
            return self.doc.sections[-1].summary
        return self.doc.description

    def parse(self, text: str) -> MarkdownDoc:
        if not text.strip():
            self.doc.empty = True
            self.problem(1, 1, "empty runbook")
            return self.doc
        for number, raw in enumerate(text.splitlines(), start=1):
            self.number = number
            self.line(number, raw.rstrip().expandtabs(4))
        self.close_task()
        return self.doc

    def line(self, number: int, line: str) -> None:
        indent = len(line) - len(line.lstrip(" "))
        if self.fence is not None:
            self.fenced(line)
            stripped = line.strip()
            if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
                self.fence = None
            return
        fence = _FENCE.match(line)
        if fence:
            self.fence = fence.group(2)
            task = self.task
            self.fence_in_task = task is not None and (indent >= 2 or not task.pending_blank)
            if not self.fence_in_task:
                self.close_task()
            self.fenced(line)
            return
        if not line.strip():
            if self.task is not None:
                self.task.pending_blank = True
            else:
                self.text_target().append("")
            self.lazy_ok = False
            return
        if self.task is not None and indent >= 2:
            self.continuation(line)
            return
        heading = _HEADING.match(line)
        if heading:
            self.close_task()
            text = heading.group(2)
            text_col = heading.start(2) + 1 if text is not None else indent + 1
            self.heading(number, indent + 1, text_col, len(heading.group(1)), text or "")
            return
        bullet = _BULLET.match(line)
        if (
            bullet
            and line[bullet.end() :].startswith("[")
            and self.checkbox(number, line, bullet.end())
        ):
            return
        if _RULE.match(line) or _COMMENT.match(line):
            self.close_task()
            return
        if self.task is not None and self.lazy_ok and not bullet:
            self.continuation(line)
            return
        self.close_task()
        if not self.doc.sections and not any(self.doc.description):
            self.doc.description_line = number
        self.text_target().append(line.strip())

    def fenced(self, line: str) -> None:
        """Code blocks belong to the task they follow; elsewhere they are not prose."""
        if self.fence_in_task and self.task is not None:
            self.continuation(line, fenced=True)

    def continuation(self, line: str, *, fenced: bool = False) -> None:
        assert self.task is not None
        if not fenced and (nested := NESTED_BOX.match(line)) is not None:
            self.doc.notes.append(nested_note(self.number, nested.group(1), self.task.line))
        if self.task.pending_blank and self.task.guidance:
            self.task.guidance.append("")
        self.task.pending_blank = False
        self.task.guidance.append(line)

    def heading(self, number: int, col: int, text_col: int, level: int, text: str) -> None:
        text = "" if re.fullmatch(r"#*", text) else re.sub(r"[ \t]+#+$", "", text).strip()
        self.lazy_ok = False
        if level == 1:
            if self.doc.title is None and not self.doc.sections:
                if not text:
                    self.problem(number, col, "empty heading")
                self.title_length(number, text_col, "title", text)
                self.doc.title = text
            else:
                self.problem(
                    number, col, "a second '# ' title heading (use '## ' headings for phases)"
                )
            return
        if level > 2:
            if text:
                self.text_target().append(text)
            return
        title, window = self.split_window(number, text_col, text)
        if not text:
            self.problem(number, col, "empty heading")
        elif not title:
            self.problem(number, col, "heading has a window but no title")
        self.title_length(number, text_col, "phase title", title)
        self.doc.sections.append(MarkdownSection(text, title, window, number, col))

    def title_length(self, number: int, col: int, what: str, title: str) -> None:
        if len(title) > MAX_TITLE_CHARS:
            self.problem(number, col, too_long(what, len(title), MAX_TITLE_CHARS))

    def split_window(self, number: int, text_col: int, text: str) -> tuple[str, Window | None]:
        match = find_window(text)
        window: Window | None = None
        if match:
            window, problem = read_window(match)
            if problem is not None:
                self.problem(number, text_col + problem[0], problem[1])
            rest = text[match.end() :]
            found = match.group().strip()
            if found.startswith("(") and not found.endswith(")") and ")" in rest:
                # `(T+0 to T+2 hours, in parallel)`: the remark keeps its parentheses
                rest = "(" + rest.lstrip(" \t,;:")
            text = text[: match.start()] + " " + rest
        written = re.sub(r"\s+", " ", re.sub(r"\(\s*\)", " ", text)).strip(" \t:\u2013\u2014-")
        title = _PHASE_PREFIX.sub("", written)
        title = re.sub(r"\s+", " ", title).strip(" \t:\u2013\u2014-")
        return title or written, window

    def checkbox(self, number: int, line: str, at: int) -> bool:
        """Read a task line; False if it is an ordinary bullet that starts with a link."""
        rest = line[at:]
        col = at + 1
        match = _CHECKBOX.match(rest)
        if match is None:
            close = rest.find("]")
            inner = rest[1:close] if close >= 0 else ""
            after = rest[close + 1 :] if close >= 0 else ""
            if close >= 0 and (len(inner.strip()) > 1 or after[:1] in ("(", "[", ":")):
                return False
            self.close_task()
            if close < 0:
                self.problem(number, col, "unclosed task checkbox (write '- [ ] task')")
            else:
                self.problem(
                    number,
                    col,
                    f"malformed task checkbox '{rest[: close + 1]}' "
                    "(write '- [ ] task' or '- [x] task', with a space after ']')",
                )
            return True
        self.close_task()
        if match.group(1) in "xX":
            self.doc.notes.append(ticked_note(number, line))
        bullet_col = len(line) - len(line.lstrip()) + 1
        self.task = _OpenTask(number, bullet_col, match.group(2) or "", col)
        self.lazy_ok = True
        return True

    def close_task(self) -> None:
        task, self.task = self.task, None
        self.lazy_ok = False
        if task is None:
            return
        parsed = self.task_from(task)
        if parsed is None:
            return
        if self.doc.sections:
            self.doc.sections[-1].tasks.append(parsed)
        else:
            self.doc.loose_tasks.append(parsed)

    def task_from(self, task: _OpenTask) -> MarkdownTask | None:
        body = textwrap.dedent("\n".join(task.guidance)).split("\n") if task.guidance else []
        text, explicit, optional = _suffixes(task.text.strip())
        if explicit is not None:
            problem = id_problem(explicit, "step id")
            if problem:
                at = task.text.rfind("{#")
                text_col = task.box_col + len(task.text) - len(task.text.lstrip()) + 4
                self.problem(task.line, text_col + at if at >= 0 else task.box_col, problem)
                explicit = None
        title, lead = split_lead(text.strip())
        if not title:
            self.problem(task.line, task.box_col, "empty task (write its text after '[ ]')")
            return None
        guidance = reflow([lead, *body] if lead else body)
        self.title_length(task.line, task.box_col + 4, "task title", title)
        if len(guidance) > MAX_PROSE_CHARS:
            message = too_long("the task's guidance", len(guidance), MAX_PROSE_CHARS)
            self.problem(task.line, task.col, message)
        return MarkdownTask(title, guidance, not optional, explicit, task.line, task.col)


def _suffixes(text: str) -> tuple[str, str | None, bool]:
    """Strip a trailing `{#id}` and `(optional)`, in either order."""
    explicit: str | None = None
    optional = False
    for _ in range(2):
        id_match = _EXPLICIT_ID.search(text)
        if id_match and explicit is None:
            explicit = id_match.group(1).strip()
            text = text[: id_match.start()]
        optional_match = _OPTIONAL.search(text)
        if optional_match and not optional:
            optional = True
            text = text[: optional_match.start()]
    return text.strip(), explicit, optional


def split_lead(text: str) -> tuple[str, str]:
    """`**Title:** rest` as (title, rest); other text is all title, bold marks removed."""
    bold = _BOLD_LEAD.match(text)
    if bold:
        inner, rest = bold.group(1).strip(), bold.group(2).strip()
        if inner.endswith(":") or rest.startswith(":") or not rest:
            return inner.rstrip(":").strip(), rest.removeprefix(":").strip()
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip(), ""


CODE_INDENT = "    "
"""How fenced code shows in guidance: indented, as plain text shows a command."""


def reflow(lines: list[str]) -> str:
    """Guidance text: wrapped lines joined into paragraphs; list items and blank lines
    kept as written, fenced code kept line by line, indented, without its fences (the
    ``` lines showed as text in every face, the command below them; ux_review8 #4)."""
    out: list[str] = []
    fence: str | None = None
    joinable = False
    for line in lines:
        stripped = line.strip()
        opens = _FENCE.match(line)
        if fence is not None or opens:
            if fence is None and opens:
                fence = opens.group(2)
            elif fence is not None and stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            else:
                out.append(CODE_INDENT + line.rstrip() if stripped else "")
            joinable = False
        elif not stripped:
            out.append("")
            joinable = False
        elif joinable and not _LIST_ITEM.match(line):
            out[-1] += " " + stripped
        else:
            out.append(line.rstrip())
            joinable = True
    return "\n".join(out).strip("\n")


def parse_markdown(text: str, file: str) -> MarkdownDoc:
    """The structure of a Markdown task list, with its syntax problems."""
    return _Parser(file).parse(text)
