"""What a probe asks, checked before any poll: a question that can only fail is refused.

A Prometheus query that is only a comment, or whose brackets or quotes are never
closed, is refused by every Prometheus (`ERROR Prometheus rejected the query`); a
`json_field` written as JSONPath (`$.status`, `data[0].value`) or with an empty part
(`checks..db`) names a key no health endpoint has (`BAD JSON no field ...`). Both
were `ok` to `lastgood validate` and failed on every poll of the incident. Nothing
here reaches the network: these are read off the text.
"""

from __future__ import annotations

_CLOSING = {"(": ")", "[": "]", "{": "}"}
_QUOTES = "\"'`"
JSON_FIELD_HINT = "a dotted path of fields and list indexes, like checks.db.latency or items.0.id"
"""What `json_field` takes, as its refusals say it."""


def json_field_problem(path: str) -> str | None:
    """Why the dotted `path` (as `incident.health.probe_answers.value_at` reads it) can
    match nothing in an answer, or None; said after the field's name (`'json_field' …`)."""
    if not path.strip():
        return f"must not be empty: give {JSON_FIELD_HINT}"
    if path.startswith("$") or any(c in path for c in "[]*"):
        return f"is not JSONPath (no $, [0] or *): give {JSON_FIELD_HINT}"
    if "" in path.split("."):
        return f"has an empty part between dots: give {JSON_FIELD_HINT}"
    return None


def query_problem(query: str) -> str | None:
    """Why PromQL `query` cannot be evaluated, read off its text alone, or None: only
    comments and space, a bracket or a quote left open, a bracket closing nothing. Said
    after the query's name (`'query' …`, `--error-query …`)."""
    opened: list[str] = []
    said = False
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":  # a comment runs to the end of its line
            line_end = query.find("\n", i)
            i = n if line_end < 0 else line_end + 1
            continue
        if c in _QUOTES:
            end = _string_end(query, i)
            if end is None:
                return f"has a string opened with {c} that is never closed"
            said, i = True, end + 1
            continue
        if c in _CLOSING:
            opened.append(c)
        elif c in _CLOSING.values():
            if not opened:
                return f"has a '{c}' that closes nothing"
            first = opened.pop()
            if _CLOSING[first] != c:
                return f"closes '{first}' with '{c}'"
        if not c.isspace():
            said = True
        i += 1
    if opened:
        return f"has a '{opened[-1]}' that is never closed"
    if not said:
        return "is only a comment: Prometheus has nothing to evaluate"
    return None


def _string_end(query: str, start: int) -> int | None:
    """Where the string opened at `start` closes: backslash escapes in '…' and "…",
    none in `…` (a raw string)."""
    quote = query[start]
    i = start + 1
    while i < len(query):
        c = query[i]
        if c == "\\" and quote != "`":
            i += 2
            continue
        if c == quote:
            return i
        if c == "\n" and quote != "`":
            return None
        i += 1
    return None
