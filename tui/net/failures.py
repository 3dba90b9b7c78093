"""What a failed HTTP request came to, read from its exception's causes.

A probe and a webhook delivery fail the same ways (no answer in time, a certificate
not trusted, a host that does not resolve, a refused connection), and both say the
cause in the same words (`failed_request`): a probe as a `Reading`, a delivery as an
error line (`REFUSED connection refused`). The reading of the exception chain lives
here once, so the two never disagree on what counts as a DNS failure or which cause
wins when several are chained.

Nothing here quotes an exception's own text except a TLS library's reason, which
names no URL: exception text may hold a URL and the secrets in it.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from enum import Enum

from incident.core.samples import Outcome
from incident.core.secrets import exception_chain, host_of

_DNS_MESSAGES = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "no address associated with hostname",
    "getaddrinfo failed",
    "name resolution",
)
"""How resolvers say a name does not resolve, when the error is not a `gaierror`."""


class Cause(Enum):
    TIMEOUT = "timeout"
    TLS = "tls"
    DNS = "dns"
    REFUSED = "refused"


@dataclass(frozen=True)
class NetworkFailure:
    cause: Cause
    tls_words: str = ""
    """For `Cause.TLS`: "TLS certificate not trusted: …" or "TLS handshake failed: …"."""


def network_failure(exc: BaseException) -> NetworkFailure | None:
    """The first network cause in `exc`'s chain, or None when it names none."""
    import httpx  # lazily, as everywhere in `tui.net`: it pulls Rich in

    for link in exception_chain(exc):
        if isinstance(link, TimeoutError | httpx.TimeoutException):
            return NetworkFailure(Cause.TIMEOUT)
        if isinstance(link, ssl.SSLCertVerificationError):
            why = link.verify_message or link.reason or "verification failed"
            return NetworkFailure(Cause.TLS, f"TLS certificate not trusted: {why}")
        if isinstance(link, ssl.SSLError):
            return NetworkFailure(Cause.TLS, f"TLS handshake failed: {link.reason or link}")
        if isinstance(link, socket.gaierror) or (
            isinstance(link, httpx.ConnectError | OSError)
            and any(message in str(link).lower() for message in _DNS_MESSAGES)
        ):
            return NetworkFailure(Cause.DNS)
        if isinstance(link, ConnectionRefusedError):
            return NetworkFailure(Cause.REFUSED)
    return None


def failed_request(exc: BaseException, url: str, timeout_s: float) -> tuple[Outcome, str]:
    """What a request to `url` that raised `exc` came to, as a probe's reading and a
    webhook delivery's error both say it: the outcome that names its class (`REFUSED`,
    `TIMEOUT`, `DNS`, `TLS`, `ERROR`) and the words beyond it."""
    failure = network_failure(exc)
    if failure is not None:
        match failure.cause:
            case Cause.TIMEOUT:
                return Outcome.TIMEOUT, f"no answer within {seconds_words(timeout_s)} s"
            case Cause.TLS:
                return Outcome.TLS, failure.tls_words
            case Cause.DNS:
                return Outcome.DNS, f"cannot resolve host {host_of(url)}"
            case Cause.REFUSED:
                return Outcome.REFUSED, "connection refused"
    return Outcome.ERROR, failure_words(exc)


def seconds_words(t: float) -> str:
    """A deadline as said in "no answer within 5.0 s": one decimal, more when it has them."""
    return f"{t:.1f}" if round(t, 1) == t else f"{t:g}"


REDIRECT_UNREADABLE = "a redirect to a Location that is not a valid URL (not followed)"
NOT_HTTP = "the server closed the connection or answered something that is not HTTP"


def failure_words(exc: BaseException) -> str:
    """What a failure none of the causes above names came to, in words a coordinator
    reads: never the exception's class name or its text, which quote raw bytes
    (`bytearray(b'...')`) or the URL and the secrets in it. The first link of the
    chain that says what happened wins; a failure nothing here knows names its class,
    for the bug report it is (lastgood's, not production's)."""
    import httpx

    for link in exception_chain(exc):
        if isinstance(link, httpx.RemoteProtocolError):
            # httpx reads a redirect's Location even when it follows none, and says
            # one it cannot parse in this error's words.
            return REDIRECT_UNREADABLE if "location header" in str(link).lower() else NOT_HTTP
        if isinstance(link, httpx.LocalProtocolError):
            return "the request could not be sent: a header value HTTP cannot carry"
        if isinstance(link, httpx.UnsupportedProtocol):
            return "the URL is not an http or https URL"
        if isinstance(link, httpx.InvalidURL):
            return "the URL is not a valid URL"
        if isinstance(link, httpx.ConnectError):
            return "cannot connect"
        if isinstance(link, httpx.NetworkError | ConnectionError):
            return "the connection broke before an answer came"
        if isinstance(link, httpx.TransportError):
            return "the request failed on its way"
    failed = next(
        (link for link in exception_chain(exc) if not isinstance(link, BaseExceptionGroup)), exc
    )
    return f"unexpected failure ({type(failed).__name__})"
