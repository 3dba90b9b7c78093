"""Where `lastgood serve` listens: checked before the banner says so.

textual-serve binds inside aiohttp's `run_app`, after `serve` has printed where it
serves; a port already taken, or a `--host` that names no address, ended there in
a traceback with exit 1. The address is now resolved and bound once first, so the
mistake is one line naming the option, exit 2, and the banner shows a URL a browser
can open (an IPv6 address in brackets).
"""

from __future__ import annotations

import ipaddress
import socket

from tui.cli.errors import CliError


def listen_url(host: str, port: int) -> str:
    """The URL `serve` will answer at; a CliError naming `--host` or `--port` if it cannot
    listen there."""
    try:
        found = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as error:
        reason = error.strerror if isinstance(error, socket.gaierror) else "not a host name"
        raise CliError(f"--host: cannot listen on {host!r}: {reason}") from None
    family, kind, protocol, _, address = found[0]
    with socket.socket(family, kind, protocol) as trial:
        trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
        try:
            trial.bind(address)
        except OSError as error:
            raise CliError(
                f"--port: cannot listen on {shown_host(host)}:{port}: {error.strerror}"
            ) from None
    return f"http://{shown_host(host)}:{port}"


def shown_host(host: str) -> str:
    """`host` as a URL writes it: an IPv6 address in brackets, every address for ''."""
    if not host:
        return "0.0.0.0"
    return f"[{host}]" if ":" in host else host


UNSPECIFIED = frozenset({"", "0.0.0.0", "::"})
"""Hosts that bind every address of the machine: no browser can open them."""
_ROUTES = ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1"))
"""Documentation addresses: connecting a UDP socket towards one sends nothing, and
names the address this machine would send from (its address on the way out)."""


def open_urls(host: str, port: int, public_url: str | None) -> str:
    """Where a browser can open `serve`, as its first line says: the `--public-url`,
    the listening URL when it names one address, and bound to every address
    (`0.0.0.0`), the machine's addresses on the way out and its name, never
    `http://0.0.0.0:PORT` (UX review 13, #3)."""
    if public_url:
        return f"{public_url} (listening on {shown_host(host)}:{port}; Ctrl+C stops)"
    if host not in UNSPECIFIED:
        return f"http://{shown_host(host)}:{port} (Ctrl+C stops)"
    families = (socket.AF_INET,) if host == "0.0.0.0" else (socket.AF_INET6, socket.AF_INET)
    urls = [f"http://{shown_host(a)}:{port}" for a in outward_addresses(families)]
    hint = "" if urls else "; --public-url URL names the one browsers use"
    urls.append(f"http://{socket.gethostname()}:{port}")
    return f"{' or '.join(urls)} (every address of this machine{hint}; Ctrl+C stops)"


def outward_addresses(families: tuple[socket.AddressFamily, ...]) -> list[str]:
    """This machine's addresses other machines reach it at (its routes'), if any."""
    found = []
    for family, far in _ROUTES:
        if family not in families:
            continue
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((far, 9))
            except OSError:  # no route that way
                continue
            address = str(probe.getsockname()[0])
        if not ipaddress.ip_address(address).is_loopback:
            found.append(address)
    return found
