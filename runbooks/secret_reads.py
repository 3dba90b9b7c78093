"""Which environment variables a runbook reads that hold a secret: the one rule.

Typed text holding a secret's value is refused (`incident.app.typed_secrets`) and a
command step's output is redacted of it (`incident.app.command_output`); `validate`
and `declare` say which of the variables a runbook reads count (`runbooks.env_reads`).
Probe and webhook error lines are redacted by the same rule
(`incident.core.secrets.secrets_for`). All of them read this module. Every `${NAME}` a
probe or a webhook target read counted once, whatever it held: a probe of
`http://${SERVICE}.internal/health` with `SERVICE=checkout` made every note saying
"checkout" refused and hid the service's name from command output and from the
probe's own error lines.

A variable is a secret by where the runbook uses it: all it holds in a header's value
or a URL's user-info (user or password), query or fragment (`SECRET_PLACES`); only
some of it as a whole URL, in a webhook target's URL path, or ending a webhook's URL
right after its host (`PARTLY_SECRET`, `secret_values`). Used only in a URL's host or
port, or in a probe URL's path, it is not, unless its name says credential
(`credential_named`) and it holds no file's path (`names_a_file`).

One answer for the whole runbook: used in several places, in one request or in
several, it is a secret if any of them makes it one, and hidden everywhere. Each
probe and target a runbook builds carries where every variable of the runbook is
used (`with_variable_uses`): a variable that was one probe's host and another's
header was refused in typed text but shown in the first probe's error lines.

A variable that is a whole URL hides what of its value can hold a credential: the
user-info, the query and fragment, and a webhook's path segments that look like a
token (`url_secret_parts`). Its whole value hidden, any 8 characters of it included,
made `https://`, the host (`checkout`) and `/healthz` refused in every note. A
variable in a webhook's path hides the segments of its value that look like a token
(`_token_like`, the same test): Slack's `/services/T…/B…/${TOKEN}` hides the token,
`/hooks/${SERVICE}/alerts` leaves `SERVICE=checkout` free to be typed (a note
"Checkout 5xx" was refused).

A path to a credentials file is not itself a credential:
`GOOGLE_APPLICATION_CREDENTIALS=/home/ada/.config/gcloud/key.json` matches `CRED`, and
every note holding any 8 characters of it (`/home/ad`) was refused, and hidden from
command output. A credential-named variable
whose value is a plain file path that exists on this machine (`names_a_file`) is not
a secret by its name; any other value is (a token that starts with `/`, as base64 may,
names no file).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from msgspec.structs import replace

from runbooks.checks import ENV_REFERENCE
from runbooks.model import Runbook, VariableUse

HEADER = "a header"
WHOLE_URL = "a whole URL"
USER_INFO = "a URL's user-info"
QUERY = "a URL's query"
FRAGMENT = "a URL's fragment"
WEBHOOK_PATH = "a webhook's URL path"
WEBHOOK_HOST = "a webhook's URL host and path"
HOST = "a URL's host"
PORT = "a URL's port"
PROBE_PATH = "a probe's URL path"
NAME = "its name"
"""The places a `${NAME}` can be used, as `validate` names them."""

SECRET_PLACES = frozenset({HEADER, USER_INFO, QUERY, FRAGMENT})
"""Where all a variable holds is a credential (a token, a password, a key)."""

PARTLY_SECRET = {
    WHOLE_URL: "its user-info, query, fragment, token-like webhook path segments",
    WEBHOOK_HOST: "its user-info, query, fragment, token-like path segments",
    WEBHOOK_PATH: "its token-like segments",
}
"""Where some of what a variable holds may be a credential, and which of it
(`secret_values`), as `validate` says it."""

CREDENTIAL_NAME_PARTS = (
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "API_KEY",
    "PRIVATE_KEY",
    "_KEY$",
    "AUTH(?!OR(?!I[SZ]))",
    "CRED(?!IT)",
    "WEBHOOK",
    "DSN",
)
"""A variable whose (upper-cased) name matches one of these holds a credential:

- `TOKEN`, `SECRET`, `PASSWORD`, `PASSWD`, `API_KEY`, `PRIVATE_KEY` anywhere
  (`AWS_SESSION_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `PGPASSWORD`);
- `_KEY` as a suffix: a key is a credential (`STRIPE_KEY`, `SSH_KEY`, `PROBE_KEY`),
  but `KEY` inside a name is not one (`KEYBOARD`, `KEY_ID`, `MONKEY_PATCH`);
- `AUTH` (`BASIC_AUTH`, `NPM_AUTH`, `OAUTH_CLIENT`, `AUTHORIZATION`), but not inside
  `AUTHOR` (`GIT_AUTHOR_NAME`, set by git and CI, holds a person's name; `XAUTHORITY`
  a file's path);
- `CRED` (`DEPLOY_CREDS`, `REGISTRY_CREDENTIALS`), but not `CREDIT` (`CREDIT_API_URL`);
- `WEBHOOK`: a webhook's URL is its token (`SLACK_WEBHOOK`, `LASTGOOD_SLACK_WEBHOOK`);
- `DSN`: a data source name holds its key or password (`SENTRY_DSN`, `DATABASE_DSN`).

None of the names the bundled, demo and test runbooks read for a host, a port or a
probe's path (`SERVICE`, `HOST`, `HOST_PORT`, `PORT`, `TEAM`, `TENANT`, `HOME`) matches
(`tests/test_secret_reads.py`)."""

NOT_CREDENTIALS = frozenset({"SSH_AUTH_SOCK", "GPG_KEY"})
"""Common names that match a part above and hold no credential: `SSH_AUTH_SOCK` is the
path of ssh-agent's socket (set in every ssh session with an agent), `GPG_KEY` the
public fingerprint official Python images set."""

_CREDENTIAL = re.compile("|".join(CREDENTIAL_NAME_PARTS))


@functools.lru_cache(maxsize=1024)
def credential_named(name: str) -> bool:
    """Whether an environment variable's name says it holds a credential
    (`CREDENTIAL_NAME_PARTS`); asked of every variable on each check, answered once."""
    upper = name.upper()
    return upper not in NOT_CREDENTIALS and _CREDENTIAL.search(upper) is not None


def url_places(url: str, *, webhook: bool) -> Iterator[tuple[str, str]]:
    """Each `${NAME}` of `url`, in order, with the place of the URL it stands in.

    Each reference is read as one opaque word (its default left out: a default is
    written in the runbook, not read from the environment), then the URL is split.
    A reference that starts the URL gives a whole URL; one that ends a webhook's URL
    right after its host may give its path too; a URL that cannot be split is taken
    for a whole one."""
    references = list(ENV_REFERENCE.finditer(url))
    if not references:
        return
    words = [f"lgref{i}x" for i in range(len(references))]
    at = 0
    pieces: list[str] = []
    for word, match in zip(words, references, strict=True):
        pieces += (url[at : match.start()], word)
        at = match.end()
    pieces.append(url[at:])
    marked = "".join(pieces)
    try:
        split = urlsplit(marked)
    except ValueError:
        split = None
    for word, match in zip(words, references, strict=True):
        name = match.group(1)
        if split is None or match.start() == 0 or word in split.scheme:
            yield name, WHOLE_URL
            continue
        userinfo, _at, hostport = split.netloc.rpartition("@")
        rest = (split.path, split.query, split.fragment)
        if word in userinfo:
            yield name, USER_INFO
        elif word in hostport.rpartition("]")[2].partition(":")[2]:
            yield name, PORT
        elif word in hostport:
            if webhook and not any(rest) and hostport.endswith(word):
                yield name, WEBHOOK_HOST  # `https://${HOOK}`: the path may be in it
            else:
                yield name, HOST
        elif word in split.path:
            yield name, WEBHOOK_PATH if webhook else PROBE_PATH
        elif word in split.query:
            yield name, QUERY
        else:
            yield name, FRAGMENT


def read_places(runbook: Runbook) -> dict[str, list[str]]:
    """Each variable the runbook's webhook targets and probes read, in the order first
    written (targets first), with the places it is used in (`url_places`, `HEADER`), once each."""
    requests = [(t.url, t.headers, True) for t in runbook.notify_targets]
    requests += [(p.url, p.headers, False) for p in runbook.probes]
    places: dict[str, list[str]] = {}
    for url, headers, webhook in requests:
        found = list(url_places(url, webhook=webhook))
        found += [(m.group(1), HEADER) for _n, v in headers for m in ENV_REFERENCE.finditer(v)]
        for name, place in found:
            seen = places.setdefault(name, [])
            if place not in seen:
                seen.append(place)
    return places


def why_secret(name: str, places: list[str] | tuple[str, ...]) -> str | None:
    """Why a variable used in `places` holds a secret, as `validate` says it, or None
    when it does not: the first place where all it holds is one; else `its name`
    (`credential_named`), but for a file's path (`names_a_file`, a value `validate`
    does not read); else the first place where some of it may be one, with which of it
    (`PARTLY_SECRET`: `a webhook's URL path: its token-like segments`)."""
    whole = [place for place in places if place in SECRET_PLACES]
    if whole:
        return whole[0]
    if credential_named(name):
        return f"{NAME}, unless it holds a file's path"
    partly = [place for place in places if place in PARTLY_SECRET]
    return f"{partly[0]}: {PARTLY_SECRET[partly[0]]}" if partly else None


def secret_reads(runbook: Runbook) -> list[str]:
    """The variables the runbook reads that may hold a secret (`why_secret`), in order."""
    return [name for name, places in read_places(runbook).items() if why_secret(name, places)]


def webhook_reads(runbook: Runbook) -> frozenset[str]:
    """The variables a webhook target's URL reads (the others are probes')."""
    return frozenset(
        m.group(1) for t in runbook.notify_targets for m in ENV_REFERENCE.finditer(t.url)
    )


def variable_uses(runbook: Runbook) -> tuple[VariableUse, ...]:
    """Each variable the runbook's probes and targets read, with every place it is used
    in (`read_places`) and whether a webhook's URL reads it (`webhook_reads`)."""
    webhooks = webhook_reads(runbook)
    return tuple(
        VariableUse(name, tuple(places), name in webhooks)
        for name, places in read_places(runbook).items()
    )


def with_variable_uses(runbook: Runbook) -> Runbook:
    """`runbook` with each probe and target carrying `variable_uses`, so that its error
    lines hide what the runbook calls a secret anywhere (`secrets_for`); the runbook
    itself when they read nothing."""
    uses = variable_uses(runbook)
    if not uses:
        return runbook
    return replace(
        runbook,
        probes=tuple(replace(probe, uses=uses) for probe in runbook.probes),
        notify_targets=tuple(replace(target, uses=uses) for target in runbook.notify_targets),
    )


def secret_values(
    name: str, places: list[str] | tuple[str, ...], value: str, *, webhook: bool
) -> list[str]:
    """What of `value`, the variable `name` used in `places`, is a secret: all of it
    where all of it is (`SECRET_PLACES`, or its name but for a file's path); else the
    parts that can carry a credential, for each place that may hold some
    (`PARTLY_SECRET`): of a whole URL, `url_secret_parts` (a `webhook`'s path too); of
    a webhook's host and path, the same; of a webhook's path, its token-like segments
    (and any query or fragment it brings)."""
    if any(place in SECRET_PLACES for place in places):
        return [value]
    if credential_named(name) and not names_a_file(value):
        return [value]
    parts: list[str] = []
    if WHOLE_URL in places:
        parts += url_secret_parts(value, webhook=webhook)
    if WEBHOOK_HOST in places:
        parts += _parts_in(f"https://{value}", value)
    if WEBHOOK_PATH in places:
        parts += _parts_in(f"https://lastgood.invalid/{value}", value)
    return list(dict.fromkeys(parts))


def _parts_in(url: str, value: str) -> list[str]:
    """`url_secret_parts` of a webhook's `url` that `value` completes; all of `value`
    when that cannot be read as a URL."""
    parts = url_secret_parts(url, webhook=True)
    return [value] if parts == [url] else parts


def names_a_file(value: str) -> bool:
    """Whether `value` is a plain file path: absolute (or `~/…`), on one line, naming a
    file or directory that exists on this machine (`/home/ada/.config/gcloud/key.json`).
    A credential-named variable holding one is no secret by its name: the file holds the
    credential, not its path. Existing, not only shaped like a path: a token may start
    with `/` (base64's alphabet has it), and names no file."""
    if not value.startswith(("/", "~/")) or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    try:
        return os.path.exists(os.path.expanduser(value))
    except (OSError, ValueError):
        return False


def url_secret_parts(value: str, *, webhook: bool) -> list[str]:
    """The user-info (whole, user and password), the query (whole and each value) and
    the fragment of the URL `value`, and for a `webhook` each path segment that looks
    like a token (a digit or a capital in it, or 20 characters or more: Slack's
    `/services/T…/B…/…`, Discord's `/api/webhooks/ID/TOKEN`, not `services`); all of
    `value` when it is not a URL with a host."""
    try:
        split = urlsplit(value)
    except ValueError:
        return [value]
    if not split.scheme or not split.netloc:
        return [value]
    userinfo = split.netloc.rpartition("@")[0]
    parts = [userinfo, *userinfo.split(":", 1)] if userinfo else []
    if split.query:
        parts += [split.query, *(v for _k, v in parse_qsl(split.query))]
    if split.fragment:
        parts.append(split.fragment)
    if webhook:
        parts += [s for s in split.path.split("/") if _token_like(s)]
    return [part for part in parts if part]


def _token_like(segment: str) -> bool:
    return len(segment) >= 20 or any(c.isdigit() or c.isupper() for c in segment)
