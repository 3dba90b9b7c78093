"""Which environment variables a runbook reads, and the host each is sent to.

A probe's or a webhook target's URL and headers may read any `${NAME}` of the
coordinator's environment, and probes are polled (and `on: declared` messages sent)
without asking: a one-line change to a shared runbook ("add a version probe") could
send a token of the bastion to any host, and the redaction would then hide it from
the record too (ux_review12 #6). Nothing is refused; `validate` and `declare` say it in
one line, so whoever reviews the runbook sees it:
`reads $SLACK_TOKEN (sent to hooks.slack.com), $HOME (sent to 127.0.0.1:38111)`.

Which of them count as secrets (`runbooks.secret_reads`: typed text holding one's value
is refused, command output hides it) is said on the next line, each with why, so the
rule's answer is seen before an incident:
`secrets (refused in typed text, hidden in command output): $SLACK_PATH (a webhook's
URL path: its token-like segments), $OPS_TOKEN (its name, unless it holds a file's
path); not secrets: $SERVICE (a URL's host)`. Said from the runbook, not the values: a
place where only some of a value counts says which of it (`PARTLY_SECRET`), and a
credential's name the file-path exemption (`names_a_file`) it cannot check.

A header (or a URL's password) that reads a `${NAME}` and goes over plain `http://` to a
host other than this machine is warned of in one line too (ux_review12 #10).

A command step's shell is given the whole environment, as any deploy script is; what
it reads is the command's text, reviewed as such, and is not listed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import ip_address
from urllib.parse import urlsplit

from runbooks.checks import ENV_REFERENCE, with_defaults
from runbooks.model import Runbook
from runbooks.secret_reads import read_places, why_secret


def _names(texts: Iterable[str]) -> list[str]:
    """The variables `texts` read, `${NAME:-default}` included, in order, once each."""
    return list(dict.fromkeys(m.group(1) for text in texts for m in ENV_REFERENCE.finditer(text)))


def destination(url: str) -> str:
    """Where a request to `url` goes, as a reviewer reads it: `host` or `host:port`, or,
    when the host itself comes from the environment, `the host $NAME names`."""
    resolved = with_defaults(url)
    netloc = urlsplit(resolved).netloc.rpartition("@")[2]
    named = _names([netloc] if netloc else [resolved])
    if named:
        return f"the host ${named[0]} names"
    return netloc.lower() or "an unknown host"


def senders(runbook: Runbook) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Each probe and webhook target: what it is (`probe health`), its URL, where it goes
    (`destination`), and the texts sent with it (its URL and its header values)."""
    found = [(f"probe {p.name}", p.url, tuple(v for _n, v in p.headers)) for p in runbook.probes]
    found += [
        (f"target {t.name}", t.url, tuple(v for _n, v in t.headers)) for t in runbook.notify_targets
    ]
    return [(what, url, destination(url), (url, *headers)) for what, url, headers in found]


def env_reads(runbook: Runbook) -> dict[str, list[str]]:
    """Each variable the runbook's probes and targets read, with the hosts it is sent to."""
    reads: dict[str, list[str]] = {}
    for _what, _url, host, texts in senders(runbook):
        for name in _names(texts):
            hosts = reads.setdefault(name, [])
            if host not in hosts:
                hosts.append(host)
    return reads


def reads_line(runbook: Runbook) -> str | None:
    """One line naming each variable read and where it goes; None if none is read."""
    reads = env_reads(runbook)
    if not reads:
        return None
    said = ", ".join(f"${name} (sent to {', '.join(hosts)})" for name, hosts in reads.items())
    return f"reads {said}"


def secret_kinds(runbook: Runbook) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The variables the runbook reads (in `env_reads`' order) that hold a secret, each
    with why (`why_secret`), and those that do not, each with where it is used."""
    places = read_places(runbook)
    secrets: dict[str, str] = {}
    plain: dict[str, list[str]] = {}
    for name in env_reads(runbook):
        why = why_secret(name, places[name])
        if why is None:
            plain[name] = places[name]
        else:
            secrets[name] = why
    return secrets, plain


def secrets_line(runbook: Runbook) -> str | None:
    """One line saying which variables read are secrets and which are not, and why;
    None if none is read."""
    secrets, plain = secret_kinds(runbook)
    if not secrets and not plain:
        return None
    said = ", ".join(f"${name} ({why})" for name, why in secrets.items()) or "none"
    line = f"secrets (refused in typed text, hidden in command output): {said}"
    if plain:
        line += "; not secrets: " + ", ".join(
            f"${name} ({', '.join(places)})" for name, places in plain.items()
        )
    return line


def _in_clear(url: str) -> str | None:
    """The host of a plain `http://` URL that leaves this machine, or None (https, a
    loopback host, or a scheme or host the environment gives, unknown until sent)."""
    split = urlsplit(with_defaults(url))
    host = split.hostname or ""
    hostport = split.netloc.rpartition("@")[2]
    if split.scheme.lower() != "http" or not host or ENV_REFERENCE.search(hostport):
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        if ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return destination(url)


def in_clear_line(runbook: Runbook) -> str | None:
    """One line naming each `${NAME}` a header (or the URL's password) sends over plain
    `http://` to a host other than this machine, where anyone on the path reads it
    (ux_review12 #10); None if none does. Said, not refused."""
    found = []
    for what, url, host, texts in senders(runbook):
        userinfo = urlsplit(with_defaults(url)).netloc.rpartition("@")[0]
        names = _names([*texts[1:], userinfo])
        if names and _in_clear(url) is not None:
            read = ", ".join(f"${name}" for name in names)
            found.append(f"{what} sends {read} over plain http:// to {host}")
    if not found:
        return None
    return f"warning: {'; '.join(found)}: anyone on the way can read it (use https://)"
