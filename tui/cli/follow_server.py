"""The server behind `lastgood serve`: textual-serve, held to what a browser may ask.

Anyone who can reach the port can open a follow view, and each view is a `lastgood
attach` process of its own, sized as the browser says. textual-serve passed the
size on as it came: `?height=100000`, or a resize message of a hundred million
rows, made one child grow past 7 GB in 20 seconds, and it went on after the
browser left (a hostile review). So the size is held to a terminal's, the
number of views at once to `--max-viewers`, and the log to one line a request:
textual-serve's log printed every bad request as a traceback, with its locals.
The page is served whole from here: its template fetched a font from Google's
servers, which told a third party who opened which incident, and in an outage
that cuts the way out the page waited on it.

A browser lets any page open a WebSocket to any address, and says which page asked
(`Origin`): a page on another site could stream the live incident from a `serve` on
the viewer's own machine (a security review). A view is opened only for its own
page, whose origin is the address the browser asked for (`Host`); on loopback that
address must be loopback too, so a name rebound to 127.0.0.1 by a hostile DNS
server is no way in either. A client that names no origin is no browser, and could
reach the port anyway: it is let in, as before.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, cast
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from incident.core.text import visible

MAX_COLUMNS = 500
"""A 4K screen at the smallest font a person reads is about 480 columns."""
MAX_ROWS = 200
DEFAULT_SIZE = (80, 24)

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
"""How a browser on this machine names a loopback `serve`."""

_STYLESHEET = re.compile(r"<link\b[^>]*>\s*", re.IGNORECASE)
_HREF = re.compile(r"""\bhref=["']?([^"'\s>]+)""", re.IGNORECASE)


def without_fetches_elsewhere(page: str, own_url: str) -> str:
    """The page without the stylesheets it would load from a host other than
    `own_url` (textual-serve's web font); its CSS names the system's monospace fonts
    after the web font, so the view looks as a terminal's."""

    def kept(link: re.Match[str]) -> str:
        href = _HREF.search(link.group())
        url = href.group(1) if href is not None else ""
        elsewhere = "//" in url and not url.startswith(own_url + "/")
        return "" if elsewhere else link.group()

    return _STYLESHEET.sub(kept, page)


def is_loopback(host: str) -> bool:
    """Whether `host` (as `--host` or a `Host` header names it) is this machine alone."""
    return host.lower() in LOOPBACK_NAMES or host.startswith("127.")


def refusal(
    origin: str | None, host: str | None, *, served_on_loopback: bool, public: str = ""
) -> str | None:
    """Why a view asked for with these `Origin` and `Host` headers is refused, or None.

    The origin must be the page's own (its host and port the ones the browser asked
    for); served on loopback, the host asked for must be loopback too, or the
    `--public-url`'s (`public`, a host and port) that a proxy in front passes on."""
    if host is None:
        return "no Host header"
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if served_on_loopback and not is_loopback(name) and host.lower() != public.lower():
        return f"Host {host!r} is not this machine's loopback"
    if origin is None:
        return None
    try:
        asked_from = urlsplit(origin).netloc
    except ValueError:
        return f"Origin {origin!r} is not a URL"
    if asked_from.lower() not in {host.lower(), public.lower()} - {""}:
        return f"a page on {origin!r} may not open a view of {host!r}"
    return None


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """The size a browser asks for, as whole cells within a terminal's bounds; what is
    not a number is the default."""
    return (
        _within(width, DEFAULT_SIZE[0], MAX_COLUMNS),
        _within(height, DEFAULT_SIZE[1], MAX_ROWS),
    )


def _within(value: object, default: int, most: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            return default
    if not isinstance(value, int | float) or value != value:  # NaN is not a size
        return default
    return int(min(max(value, 1), most))


class SizeLimited:
    """The child's service as the message loop sees it, its resizes held to a terminal's."""

    def __init__(self, service: AppService) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)

    async def set_terminal_size(self, width: object, height: object) -> None:
        await self._service.set_terminal_size(*terminal_size(width, height))


class FollowServer(Server):
    """textual-serve for one incident's follow view, bounded per browser and in number."""

    def __init__(self, *args: Any, max_viewers: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_viewers = max_viewers
        self.viewers = 0

    async def on_startup(self, app: web.Application) -> None:
        """Nothing more: `serve` has said where it serves, and how to stop it.
        textual-serve's banner followed with ASCII art and the internal `attach`
        command line (without the `--db` given), which read as if the viewers
        followed the default database (a fresh user's review)."""

    def initialize_logging(self) -> None:
        """One plain line a record, controls shown: a request's path is the sender's."""
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(OneLineFormatter())
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        self._refused(request)
        page = await super().handle_index(request)
        if not isinstance(page, web.Response) or page.text is None:
            return page
        return web.Response(
            text=without_fetches_elsewhere(page.text, self.public_url),
            status=page.status,
            content_type=page.content_type,
            charset=page.charset,
        )

    def _refused(self, request: web.Request) -> None:
        """A 403 for a request no page of this server's made (`refusal`)."""
        why = refusal(
            request.headers.get("Origin"),
            request.headers.get("Host"),
            served_on_loopback=is_loopback(self.host),
            public=urlsplit(self.public_url).netloc,
        )
        if why is not None:
            raise web.HTTPForbidden(text=f"refused: {why}")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self._refused(request)
        if self.viewers >= self.max_viewers:
            raise web.HTTPServiceUnavailable(
                text=f"{self.max_viewers} viewers already follow this incident (--max-viewers)"
            )
        width, height = terminal_size(request.query.get("width"), request.query.get("height"))
        sized = request.clone(rel_url=request.rel_url.update_query(width=width, height=height))
        self.viewers += 1
        try:
            response: web.WebSocketResponse = await super().handle_websocket(sized)
            return response
        finally:
            self.viewers -= 1

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        # The loop only calls the service's methods: the stand-in has them all.
        await super()._process_messages(websocket, cast(AppService, SizeLimited(app_service)))


class OneLineFormatter(logging.Formatter):
    """A record as one line: its message, and an error's type and words, no traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            words = str(error)
            message = f"{type(error).__name__}: {words}" if words else type(error).__name__
        return visible(message)
