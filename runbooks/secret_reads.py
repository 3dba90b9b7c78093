"""Which environment variables a runbook reads that hold a secret: the one rule.

Typed text holding a secret's value is refused (`incident.app.typed_secrets`) and a
command step's output is redacted of it (`incident.app.command_output`); `validate`
and `declare` say which of the variables a runbook reads count (`runbooks.env_reads`).
Probe and webhook error lines are redacted of the secrets of the request they come
from by the same rule (`incident.core.secrets.secrets_for`). All of them read this
module. Every `${NAME}` a probe or a webhook target read counted once, whatever it
held: a probe of `http://${SERVICE}.internal/health` with `SERVICE=checkout` made
every note saying "checkout" refused and hid the service's name from command output
and from the probe's own error lines.

A variable is a secret by where the runbook uses it (`SECRET_PLACES`): in a header's
value, in a URL's user-info (user or password), query or fragment, as a whole URL (it
may hold any of those), or in the path of a webhook target's URL (Slack's
`/services/T…/B…/…` path is the token). Used only in a URL's host or port, or in a
probe URL's path, it is not, unless its name says credential (`credential_named`).
Used in several places, it is a secret if any of them makes it one.

A variable that is a whole URL and nothing more secret (`secret_values`) hides only
what of its value can hold a credential: the user-info, the query and fragment, and a
webhook's path segments that look like a token. Its whole value hidden, any 8
characters of it included, made `https://`, the host (`checkout`) and `/healthz`
refused in every note.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from runbooks.checks import ENV_REFERENCE
from runbooks.model import Runbook

HEADER = "a header"
WHOLE_URL = "a whole URL"
USER_INFO = "a URL's user-info"
QUERY = "a URL's query"
FRAGMENT = "a URL's fragment"
WEBHOOK_PATH = "a webhook's URL path"
HOST = "a URL's host"
PORT = "a URL's port"
PROBE_PATH = "a probe's URL path"
NAME = "its name"
"""The places a `${NAME}` can be used, as `validate` names them."""

SECRET_PLACES = frozenset({HEADER, WHOLE_URL, USER_INFO, QUERY, FRAGMENT, WEBHOOK_PATH})
"""Where what a variable holds is a credential (a token, a password, a key), or may be."""

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
                yield name, WEBHOOK_PATH  # `https://${HOOK}`: the path may be in it
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


def why_secret(name: str, places: list[str]) -> str | None:
    """Why a variable used in `places` holds a secret (the first secret place, or
    `NAME`), or None when it does not."""
    secret = [place for place in places if place in SECRET_PLACES]
    if secret:
        return secret[0]
    return NAME if credential_named(name) else None


def secret_reads(runbook: Runbook) -> list[str]:
    """The variables the runbook reads that hold a secret (`why_secret`), in order."""
    return [name for name, places in read_places(runbook).items() if why_secret(name, places)]


def webhook_reads(runbook: Runbook) -> frozenset[str]:
    """The variables a webhook target's URL reads (the others are probes')."""
    return frozenset(
        m.group(1) for t in runbook.notify_targets for m in ENV_REFERENCE.finditer(t.url)
    )


def secret_values(name: str, places: list[str], value: str, *, webhook: bool) -> list[str]:
    """What of `value`, the variable `name` used in `places`, is a secret: the whole of
    it, none, or, when the only secret place is `WHOLE_URL`, the parts of the URL it
    holds that can carry a credential (`url_secret_parts`)."""
    if credential_named(name) or any(p in SECRET_PLACES - {WHOLE_URL} for p in places):
        return [value]
    if WHOLE_URL not in places:
        return []
    return url_secret_parts(value, webhook=webhook)


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
