"""Every limit a runbook file is held to, in one place (the documentation lists these).

A runbook is a page or two of text written by people. The limits are far above
what one needs and low enough that a hostile or broken file (a 2 GiB log passed
by mistake, an alias bomb, a `steps_from` fan-out) is refused quickly, with one
clear problem, instead of exhausting time or memory.
"""

from __future__ import annotations

from typing import Final

MAX_BYTES: Final = 1024 * 1024
"""Largest runbook file read, YAML or Markdown, including `steps_from` files (1 MiB).
The size is checked with `stat` before reading, and at most one byte more than
this is ever read, so a huge or growing file costs nothing."""

MAX_BYTES_TEXT: Final = "1 MiB"
"""`MAX_BYTES` as people read it, for messages."""

MAX_NODES: Final = 300_000
"""YAML nodes (and aliases) as written: stops a document too big to be a runbook at a
bounded cost. A 1 MiB file of one-line steps (`- {id: s1, title: S1}`, 33,000 of
them) has 165,000; a file can hold about one node a byte (`{a,b,c}`), which would take
half a minute to read."""

MAX_ALIAS_NODES: Final = 100_000
"""Nodes that aliases add, each use of an alias counting the nodes it repeats: stops
alias bombs (ten lines can repeat a node a billion times) whatever the file's size."""

MAX_EXPANDED_CHARS: Final = 4 * MAX_BYTES
"""Characters of text (keys and values) a YAML document may expand to, an alias
counting each time it is used. Without it, one long string aliased 90,000 times
(well under 1 MiB of file) is checked, and quoted in problems, 90,000 times over."""

MAX_DEPTH: Final = 64
"""Levels of YAML nesting; a runbook needs about six."""

MAX_STEPS: Final = 100_000
"""Steps in one runbook, counting those `steps_from` brings in. Each phase may take
every task of a Markdown file, so without this bound a 1 MiB runbook naming a 1 MiB
checklist from every phase would expand to billions of steps."""

MAX_HINT_COMPARISONS: Final = 20_000
"""Comparisons spent on "did you mean" guesses per file. Each guess compares a name
with every choice, so a broken runbook naming thousands of unknown templates among
thousands of defined ones took minutes; past this budget the guesses are left out
(the problems are all still reported, with the first choices listed)."""

MAX_WINDOW_MIN: Final = 10_080
"""Largest edge of a phase window, in minutes after T+0 (one week)."""

MAX_CADENCE_MIN: Final = 1_440
"""Longest stakeholder-update interval, in minutes (one day)."""

MAX_SECONDS: Final = 3_600.0
"""Longest probe interval or timeout, or verify wait (`within_s`, `every_s`), in seconds
(one hour)."""

MIN_INTERVAL_S: Final = 1.0
"""Shortest wait between a probe's samples (`interval_s`) and between a verify
command's tries (`every_s`), in seconds. Each sample is an HTTP request and a recorded
event, each try a shell: `interval_s: 0.001` made 160 requests and events a second
(300 MB of record an hour), `every_s: 0.001` ran the command 1,041 times in 3 s."""

MIN_TIMEOUT_S: Final = 0.5
"""Shortest probe deadline (`timeout_s`), in seconds: below it an ordinary slow answer
across a network reads as an outage (the bundled runbooks give 1 to 5 s)."""

MAX_COUNT: Final = 10_000
"""Largest sample count a trigger may wait for (`for_samples`, `count`)."""

MAX_TITLE_CHARS: Final = 200
"""Characters of a title (the runbook's, a phase's, a step's, a trigger's, a tier's):
what an incident's title holds (`incident.core.limits.TITLE`, which a test holds this
equal to). A 900,000-character step title filled the checklist and hid every other step."""

MAX_PROSE_CHARS: Final = 20_000
"""Characters of a guidance, a phase summary or a description: a page of text, what a
note holds (`incident.core.limits.TEXT`, held equal by the same test)."""

MAX_TEMPLATE_CHARS: Final = 20_000
"""Characters of a message template's own text, placeholders left out: what one message
holds (`incident.core.limits.TEXT`, which a test holds this equal to). A longer
template would be cut every time it is sent, so it is refused when the runbook is
read; placeholders can still make a message longer, and that one is cut, saying so."""
