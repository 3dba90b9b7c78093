"""Where `lastgood serve` listens: checked before the banner says so.

textual-serve binds inside aiohttp's `run_app`, after `serve` has printed where it
serves; a port already taken, or a `--host` that names no address, ended there in
a traceback with exit 1. The address is now resolved and bound once first, so the
mistake is one line naming the option, exit 2, and the banner shows a URL a browser
can open (an IPv6 address in brackets).
"""

from __future__ import annotations

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
