"""The server behind `lastgood serve`: textual-serve, held to what a browser may ask.

Anyone who can reach the port can open a follow view, and each view is a `lastgood
attach` process of its own, sized as the browser says. textual-serve passed the
size on as it came: `?height=100000`, or a resize message of a hundred million
rows, made one child grow past 7 GB in 20 seconds, and it went on after the
browser left (a hostile review). So the size is held to a terminal's, the
number of views at once to `--max-viewers`, and the log to one line a request:
textual-serve's log printed every bad request as a traceback, with its locals.
The page is our own template (`serve_page/`), served whole from here: textual-serve's
fetched a font from Google's servers, which told a third party who opened which
incident, and in an outage that cuts the way out the page waited on it. Its URLs are
relative, so it works through a tunnel on any port and from any address the server
answers on, and it is laid out at a phone's width.

`GET /health` answers a load balancer's or a unit watchdog's check without opening a
view: 200 and `{"ok": true, "viewers": N, "version": "0.1.0"}`, added to textual-serve's
routes as it makes its application (`_make_app`), with no fork of it. It names no
incident and asks no `Origin`, and its requests are left out of the log, which a
check every few seconds would fill.

A browser lets any page open a WebSocket to any address, and says which page asked
(`Origin`): a page on another site could stream the live incident from a `serve` on
the viewer's own machine (a security review). A view is opened only for its own
page, whose origin is the address the browser asked for (`Host`); on loopback that
address must be loopback too, so a name rebound to 127.0.0.1 by a hostile DNS
server is no way in either. A client that names no origin is no browser, and could
reach the port anyway: it is let in, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from incident.core.text import counted, visible
from tui.cli.edges import package_version

MAX_COLUMNS = 500
"""A 4K screen at the smallest font a person reads is about 480 columns."""
MAX_ROWS = 200
DEFAULT_SIZE = (80, 24)

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
"""How a browser on this machine names a loopback `serve`."""

PAGE = Path(__file__).parent / "serve_page"
"""The page's template: textual-serve's, made for a phone and for any address the
browser found it at (relative URLs), fetching nothing from another host."""
CHILD_STOP_S = 5.0
"""How long a view's `attach` has to end after SIGTERM as `serve` stops, before SIGKILL."""
HEALTH_PATH = "/health"
"""A load balancer's or a watchdog's check (`FollowServer.handle_health`)."""
FONT_SIZES = range(8, 33)
DEFAULT_FONT_SIZE = 16


def font_size(asked: str | None) -> int:
    """The terminal's font size in CSS pixels, from `?fontsize=`, within what a person reads."""
    try:
        size = int(asked or DEFAULT_FONT_SIZE)
    except ValueError:
        return DEFAULT_FONT_SIZE
    return min(max(size, FONT_SIZES.start), FONT_SIZES.stop - 1)


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

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        public_url: str | None,
        max_viewers: int,
    ) -> None:
        super().__init__(
            command, host, port, title=title, public_url=public_url, templates_path=PAGE
        )
        self.max_viewers = max_viewers
        self.viewers = 0
        self.live: dict[web.WebSocketResponse, AppService] = {}
        """Each view open now, with the service running its `attach` child."""
        self.stopped_by: str | None = None
        """The signal that stopped the server (`SIGTERM`, `SIGINT`), once one did."""
        self.told = 0
        """How many views were told the server is going away (closed with 1001)."""
        self.version = package_version()
        """lastgood's version, as `/health` says it."""

    async def _make_app(self) -> web.Application:
        """textual-serve's application, and the health check beside its routes (added
        here: the router is frozen before `on_startup` runs)."""
        app = await super()._make_app()
        app.router.add_get(HEALTH_PATH, self.handle_health, name="health")
        return app

    async def handle_health(self, request: web.Request) -> web.Response:
        """`GET /health`: the server answers, and how many views are open now."""
        health = {"ok": True, "viewers": self.viewers, "version": self.version}
        return web.json_response(health, headers={"Cache-Control": "no-store"})

    async def on_startup(self, app: web.Application) -> None:
        """No banner: `serve` has said where it serves, and how to stop it.
        textual-serve's banner followed with ASCII art and the internal `attach`
        command line (without the `--db` given), which read as if the viewers
        followed the default database (a fresh user's review). The stopping signals
        are taken again, so the stop can say which one it was."""
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(number, self._stop_on, number)

    def _stop_on(self, number: signal.Signals) -> None:
        self.stopped_by = signal.Signals(number).name
        self.request_exit()

    def stop_line(self) -> str:
        """Said on stderr once the server has stopped: why, and the viewers told."""
        why = f" on {self.stopped_by}" if self.stopped_by else ""
        told = "no viewer" if not self.told else counted(self.told, "viewer")
        return f"lastgood serve: stopped{why}; {told} told it is going away (1001)"

    async def on_shutdown(self, app: web.Application) -> None:
        """As the server stops: each view's `attach` child gets SIGTERM, and its browser
        a close with 1001 (going away). textual-serve left both to run until aiohttp's
        60 s shutdown gave up on the WebSocket's handler: 18-20 s with one browser,
        which saw 1006 (ux_review14 #12)."""
        children: list[asyncio.subprocess.Process] = [
            process
            for service in self.live.values()
            if (process := getattr(service, "_process", None)) is not None
        ]
        for process in children:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        closing = [
            websocket.close(code=WSCloseCode.GOING_AWAY, message=b"lastgood serve is stopping")
            for websocket in list(self.live)
        ]
        self.told = len(closing)
        await asyncio.gather(*closing, *(_ended(process) for process in children))

    def initialize_logging(self) -> None:
        """One plain line a record, controls shown: a request's path is the sender's;
        the health checks' requests left out."""
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(OneLineFormatter())
        handler.addFilter(not_a_health_check)
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, its URLs relative to it: textual-serve's named the bind address and
        port (or `--public-url`'s), so through a tunnel on another local port, or from
        another machine to `0.0.0.0`, the browser looked for the script and the
        WebSocket where nothing answered (a phone's review)."""
        self._refused(request)
        context = {"title": self.title, "font_size": font_size(request.query.get("fontsize"))}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

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
        self.live[websocket] = app_service
        try:
            await super()._process_messages(websocket, cast(AppService, SizeLimited(app_service)))
        finally:
            self.live.pop(websocket, None)


def not_a_health_check(record: logging.LogRecord) -> bool:
    """Whether a log record is not the access line of a `GET /health`."""
    if record.name != "aiohttp.access":
        return True
    said = record.getMessage()
    return f'"GET {HEALTH_PATH} ' not in said and f'"GET {HEALTH_PATH}?' not in said


class OneLineFormatter(logging.Formatter):
    """A record as one line: its message, and an error's type and words, no traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            words = str(error)
            message = f"{type(error).__name__}: {words}" if words else type(error).__name__
        return visible(message)


async def _ended(process: asyncio.subprocess.Process) -> None:
    """Wait for a view's child to end (killed after `CHILD_STOP_S`), then close its
    input: its transport is then done before the loop closes, where a transport
    collected after printed "Exception ignored ... Event loop is closed" at exit."""
    try:
        await asyncio.wait_for(process.wait(), CHILD_STOP_S)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
    if process.stdin is not None:
        process.stdin.close()
