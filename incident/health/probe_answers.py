"""What a probe's answer means: a status and a body in, a classified `Reading` out.

Pure (no I/O), so the parsing can be tested on fixed bodies; `tui.net.probing`
fetches the answer and turns the reading into a `Sample`. A reading's `text` and
`detail` are raw: `probing` redacts and cuts them, once, on their way out.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urlsplit, urlunsplit

from msgspec import Struct

from incident.core.samples import Outcome
from incident.core.secrets import first_line
from incident.core.sums import exact_mean, exact_sum
from runbooks.checks import without_password
from runbooks.model import Probe, ProbeKind, Reduce

REDUCE_HINT = "add `reduce: max|min|sum|avg` to the probe"
_SEVERAL = re.compile(rf"(\d+) series; {re.escape(REDUCE_HINT)}")


def several_series(detail: str) -> int | None:
    """How many series a prometheus probe got where it needs one (no `reduce`), from
    its poll's detail; None when that is not what the detail says."""
    found = _SEVERAL.fullmatch(detail)
    return int(found.group(1)) if found else None


NO_API_STATUS = 404
"""What `/api/v1/query` answers where there is no Prometheus API: a bad query is a 400
or 422 there, so a 404 is the URL's fault (a browser's `/graph`, the API's `/api/v1`,
or a server that is not Prometheus), never the query's."""
NO_API = "no Prometheus API at this URL: give the server's base URL"
_PAGE = re.compile(
    r"(/classic)?/(graph|alerts|targets|rules|status|flags|config|tsdb-status|query"
    r"|api(/v1(/query(_range)?)?)?)/*$"
)
"""The paths of Prometheus's pages and API that a URL copied from them may end with."""


class Reading(Struct, frozen=True):
    outcome: Outcome
    value: float | None = None
    text: str | None = None
    detail: str = ""


def interpret(probe: Probe, status: int, body: bytes) -> Reading:
    """Read `probe`'s answer: the HTTP status it got and the body it read."""
    if probe.kind == ProbeKind.PROMETHEUS:
        return interpret_prometheus(status, body, probe.reduce)
    if status != probe.expect_status:
        expected = probe.expect_status
        return Reading(Outcome.HTTP_STATUS, detail=f"HTTP {status} (expected {expected})")
    if probe.kind == ProbeKind.VERSION:
        return _interpret_version(probe, body)
    if probe.json_field is None:
        return Reading(Outcome.OK)
    found = _json_field(body, probe.json_field)
    if isinstance(found, Reading):
        return found
    field = probe.json_field
    if isinstance(found, bool):
        return Reading(Outcome.OK, text="true" if found else "false")
    if isinstance(found, str):
        return Reading(Outcome.OK, text=found)
    if isinstance(found, int | float):
        return _number(found, f"field '{field}'")
    if found is None:
        return Reading(Outcome.NO_DATA, detail=f"field '{field}' is null")
    return Reading(Outcome.BAD_JSON, detail=f"field '{field}' is {_json_kind(found)}")


def _interpret_version(probe: Probe, body: bytes) -> Reading:
    if probe.json_field is None:
        line = first_line(body.decode("utf-8", errors="replace"))
        if not line:
            return Reading(Outcome.NO_DATA, detail="empty body")
        return Reading(Outcome.OK, text=line)
    found = _json_field(body, probe.json_field)
    if isinstance(found, Reading):
        return found
    field = probe.json_field
    if found is None:
        return Reading(Outcome.NO_DATA, detail=f"field '{field}' is null")
    if isinstance(found, dict | list):
        return Reading(Outcome.BAD_JSON, detail=f"field '{field}' is {_json_kind(found)}")
    if isinstance(found, bool) or (isinstance(found, float) and not math.isfinite(found)):
        # JSON's true, and the NaN and Infinity Python's parser accepts, name no release.
        return Reading(
            Outcome.BAD_JSON, detail=f"field '{field}' is {json.dumps(found)}, not a version"
        )
    text = found if isinstance(found, str) else json.dumps(found)
    return Reading(Outcome.OK, text=first_line(text))


# --- Prometheus ---------------------------------------------------------------------


def interpret_prometheus(status: int, body: bytes, reduce: Reduce | None = None) -> Reading:
    """Read an instant query's answer: a scalar, or a vector of one series (or `reduce`d)."""
    document: object = None
    invalid: str | None = None
    try:
        document = json.loads(body, parse_int=_json_int)
    except (ValueError, RecursionError) as exc:
        invalid = _json_error(exc)
    if isinstance(document, dict) and document.get("status") == "error":
        kind = document.get("errorType")
        message = str(document.get("error") or "no message")
        prefix = f"Prometheus error ({kind})" if isinstance(kind, str) and kind else "Prometheus"
        return Reading(Outcome.ERROR, detail=f"{prefix}: {message}")
    if status in (400, 422):
        return Reading(Outcome.ERROR, detail=f"Prometheus rejected the query (HTTP {status})")
    if status == NO_API_STATUS:
        return Reading(Outcome.HTTP_STATUS, detail=f"HTTP {status} (expected 200): {NO_API}")
    if status != 200:
        return Reading(Outcome.HTTP_STATUS, detail=f"HTTP {status} (expected 200)")
    if invalid is not None:
        return Reading(Outcome.BAD_JSON, detail=invalid)
    if not isinstance(document, dict) or document.get("status") != "success":
        return Reading(Outcome.BAD_JSON, detail="not a Prometheus answer: no status 'success'")
    data = document.get("data")
    if not isinstance(data, dict):
        return Reading(Outcome.BAD_JSON, detail="not a Prometheus answer: no 'data'")
    result_type, result = data.get("resultType"), data.get("result")
    if result_type == "scalar":
        return _finite(_sample_value(result))
    if result_type == "vector":
        return _vector(result, reduce)
    if result_type in ("matrix", "string"):
        return Reading(
            Outcome.ERROR, detail=f"query returned a {result_type}; expected a vector or scalar"
        )
    return Reading(Outcome.BAD_JSON, detail="not a Prometheus answer: unknown resultType")


def no_prometheus_api(url: str) -> str:
    """A 404 from `url`'s `/api/v1/query`, said of the URL with the base URL it likely
    meant (a password never shown): `no Prometheus API at http://h:9090/graph: give
    the server's base URL, e.g. http://h:9090`."""
    shown = without_password(url)
    said = f"no Prometheus API at {shown}: give the server's base URL"
    try:
        parts = urlsplit(shown)
    except ValueError:
        return said
    path = _PAGE.sub("", parts.path)
    if path == parts.path:  # no page of Prometheus's in it: the server itself, maybe
        path = ""
    base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    if parts.scheme and parts.netloc and base.rstrip("/") != shown.rstrip("/"):
        said += f", e.g. {base}"
    return said


def _vector(result: object, reduce: Reduce | None) -> Reading:
    if not isinstance(result, list):
        return Reading(Outcome.BAD_JSON, detail="vector result is not a list")
    if not result:
        return Reading(Outcome.NO_DATA, detail="query returned no series")
    if len(result) > 1 and reduce is None:
        return Reading(Outcome.ERROR, detail=f"{len(result)} series; {REDUCE_HINT}")
    values: list[float] = []
    for series in result:
        value = _sample_value(series.get("value") if isinstance(series, dict) else None)
        if isinstance(value, Reading):
            return value
        values.append(value)
    if reduce is None:
        return _finite(values[0])
    return _finite(reduce_values(values, reduce))


def reduce_values(values: list[float], reduce: Reduce) -> float:
    """`values` folded by `reduce`, NaN left out (NaN when nothing else is left).

    Leaving NaN out makes the result independent of the order Prometheus lists
    series in (Python's max and min are not, with NaN among the values).
    """
    numbers = [value for value in values if not math.isnan(value)]
    if not numbers:
        return math.nan
    if reduce is Reduce.MAX:
        return max(numbers)
    if reduce is Reduce.MIN:
        return min(numbers)
    return exact_sum(numbers) if reduce is Reduce.SUM else exact_mean(numbers)


def _sample_value(pair: object) -> float | Reading:
    if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)):
        return Reading(Outcome.BAD_JSON, detail='malformed sample: expected [time, "value"]')
    try:
        if "_" in pair[1]:  # Python reads "1_0" as ten; Prometheus never writes it
            raise ValueError(pair[1])
        return float(pair[1])
    except ValueError:
        return Reading(Outcome.BAD_JSON, detail=f"sample value {pair[1]!r} is not a number")


def _finite(value: float | Reading) -> Reading:
    if isinstance(value, Reading):
        return value
    if math.isnan(value):
        return Reading(Outcome.NO_DATA, detail="query returned NaN")
    if math.isinf(value):
        return Reading(Outcome.NO_DATA, detail=f"query returned {'+' if value > 0 else '-'}Inf")
    return Reading(Outcome.OK, value=value)


# --- JSON ---------------------------------------------------------------------------


class Absent:
    """What `value_at` finds where the path leads nowhere (JSON's null is None)."""


ABSENT = Absent()


def value_at(node: object, path: str) -> object:
    """The value at dotted `path` in parsed JSON (list items by index), or `ABSENT`.

    One reading of a path for the probes' `json_field` and the verify commands'
    `json_path`, so a runbook's path means the same in both."""
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return ABSENT
    return node


def _json_field(body: bytes, path: str) -> object:
    """The value at dotted `path` (list items by index), or a BAD_JSON reading."""
    try:
        node: object = json.loads(body, parse_int=_json_int)
    except (ValueError, RecursionError) as exc:
        return Reading(Outcome.BAD_JSON, detail=_json_error(exc))
    found = value_at(node, path)
    if found is ABSENT:
        return Reading(Outcome.BAD_JSON, detail=f"no field '{path}' in the JSON")
    return found


def _json_int(digits: str) -> int | float:
    """A JSON integer; one longer than Python reads as an int (4,300 digits) is the
    float it stands for (`inf` for 5,000 nines), as a JSON reader in another language
    would take it: the document stays readable, and such a field is not finite. It made
    the whole answer invalid JSON, said with a hint to call `sys.set_int_max_str_digits`."""
    try:
        return int(digits)
    except ValueError:
        return float(digits)


def _number(raw: int | float, what: str) -> Reading:
    try:
        value = float(raw)
    except OverflowError:
        value = math.inf
    if math.isnan(value):
        return Reading(Outcome.NO_DATA, detail=f"{what} is NaN")
    if math.isinf(value):
        return Reading(Outcome.NO_DATA, detail=f"{what} is not finite")
    return Reading(Outcome.OK, value=value)


def _json_error(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "invalid JSON: not UTF-8 text"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {exc}"


def _json_kind(value: object) -> str:
    return "an object, not a value" if isinstance(value, dict) else "an array, not a value"
