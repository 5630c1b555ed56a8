"""`facilitator serve`: the app in a web browser, through textual-serve.

textual-serve answers HTTP with a page holding a terminal, and each browser
tab that opens it starts its own `facilitator run` process behind a
websocket (`facilitator.cli.serve.tab_main`, the command's side of serve).
Two tabs on one notes folder are therefore two apps: the second meets the
folder's lock (as a second `facilitator run` in a terminal would) and shows
why instead of the meeting; nothing is corrupted.

Whoever opens the websocket reads the notes and types into the meeting, so the
server lets in only (`Door`, an aiohttp middleware on textual-serve's app):

- requests whose Host header names the address served. A page on another site
  can make its own name resolve to this machine (DNS rebinding); its requests
  then carry that name, and are refused.
- websockets whose Origin is the page's own. Any page the browser shows may
  open a websocket to 127.0.0.1:8000 (cross-site websocket hijacking); the
  browser names that page in Origin. No Origin (not a browser) needs the token.
- with the secret token serve prints in the address (as Jupyter does): the
  page needs it in its address, the websocket in its path (`/ws/TOKEN`, which
  the page hands to textual.js). Always off this machine; on 127.0.0.1 too
  unless `--no-token`, since other users and programs of this machine can
  reach 127.0.0.1 as well.

textual-serve's static files (its JS, CSS, fonts) hold no notes and are served
without the token (the page's <script> and <link> could not send it), but only
to a Host that is served.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import secrets
import socket
from dataclasses import dataclass

from facilitator.problems import Problem

WILDCARDS = {"0.0.0.0", "::", ""}
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
TOKEN_BYTES = 16  # 128 bits: no guessing over a network, and an address short enough to copy

REFUSED_HOST = "this server answers only at the address facilitator serve printed"
REFUSED_ORIGIN = "a page from another site cannot open the meeting"
REFUSED_TOKEN = "open the address facilitator serve printed, with its ?token=..."

log = logging.getLogger("facilitator.serve")


def canonical_name(name: str) -> str:
    """A host name as compared: lower case, an address literal in its one written form (::1, not 0:0::1)."""
    name = name.lower()
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def addresses_of(host: str) -> set[str]:
    """The addresses `host` names (without an IPv6 zone such as %eth0)."""
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return set()
    return {canonical_name(str(where[0]).partition("%")[0]) for *_, where in found}


def is_loopback(host: str) -> bool:
    """True when every address `host` names is this machine's loopback (127.0.0.0/8, ::1)."""
    found = set() if host in WILDCARDS else addresses_of(host)
    return bool(found) and all(ipaddress.ip_address(a).is_loopback for a in found)


def split_host_header(header: str) -> tuple[str, int] | None:
    """`127.0.0.1:8000` is ("127.0.0.1", 8000), `[::1]:8000` ("::1", 8000), no port 80; None when malformed."""
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        if not bracket:
            return None
    else:
        name, colon, port_text = header.partition(":")
        rest = colon + port_text
    if not rest:
        return name, 80
    port_text = rest[1:]
    if not rest.startswith(":") or not (port_text.isascii() and port_text.isdigit()):
        return None
    return name, int(port_text)


@dataclass(frozen=True)
class Door:
    """Who may come into the meeting: the Host names served on `port`, the page's own Origin, the token."""

    port: int
    names: frozenset[str]  # canonical Host names served
    any_address: bool  # served on every address (0.0.0.0, ::): any address literal is one of ours
    token: str | None  # None: --no-token (this machine only)

    @classmethod
    def at(cls, host: str, port: int, token: str | None) -> Door:
        if host in WILDCARDS:
            # Served on every address: the token keeps out whoever has not been given the address.
            # The Host may be any address literal (rebinding needs a DNS name, and names no address
            # of its choosing), localhost or this machine's own name, never another DNS name, so a
            # rebinding page is refused even before the token is asked for.
            here = socket.gethostname().lower()
            return cls(port, frozenset({"localhost", here, f"{here}.local"}), True, token)
        names = {canonical_name(host)} | addresses_of(host)
        if is_loopback(host):
            names |= LOOPBACK_NAMES  # 127.0.0.1, localhost, [::1]: what a browser on this machine may be given
        return cls(port, frozenset(names), False, token)

    def admits_host(self, header: str | None) -> bool:
        found = split_host_header(header or "")
        if found is None:
            return False
        name, port = canonical_name(found[0]), found[1]
        return port == self.port and (name in self.names or (self.any_address and is_address(name)))

    def admits_token(self, given: str) -> bool:
        if self.token is None:
            return True
        return secrets.compare_digest(given.encode("utf-8", "replace"), self.token.encode("ascii"))

    def refusal(self, request) -> str | None:
        """Why this aiohttp request may not come in, or None."""
        host = request.headers.get("Host")
        if not self.admits_host(host):
            return REFUSED_HOST
        # A browser names the page behind every websocket and cross-origin request; the page
        # the server gave out is at the very address requested, so its Origin is that one.
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != f"{request.scheme}://{host}".lower():
            return REFUSED_ORIGIN
        is_tab = request.path == "/ws" or request.path.startswith("/ws/")
        if not (is_tab or request.path == "/"):
            return None  # textual-serve's static files, a download, a 404: no notes in them
        if self.token is None:
            # Without an Origin it is no browser, and so no page of ours: only a token would let it in.
            return REFUSED_ORIGIN if is_tab and origin is None else None
        given = request.match_info.get("token") or request.query.get("token", "")
        return None if self.admits_token(given) else REFUSED_TOKEN


def door_keeper(door: Door):
    """The aiohttp middleware that turns away, with a short plain 403, whom `door` does not admit."""
    from aiohttp import web

    @web.middleware
    async def keep_the_door(request, handler):
        reason = door.refusal(request)
        if reason is None:
            return await handler(request)
        log.warning("refused a request: %s", reason)  # the facilitator sees someone was turned away
        return web.Response(status=403, text=f"facilitator serve: {reason}.\n")

    return keep_the_door


def address(host: str, port: int) -> str:
    """The URL to open: http://127.0.0.1:8000, http://[::1]:8000."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def page_address(host: str, port: int, token: str | None) -> str:
    """The address serve prints: http://127.0.0.1:8000/?token=..."""
    return f"{address(host, port)}/" + (f"?token={token}" if token else "")


def can_serve() -> bool:
    """Whether textual-serve is installed (it is among the dependencies; a broken install says so)."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        return False
    return True


def cannot_listen(host: str, port: int) -> Problem | None:
    """Why serve could not listen there (a port out of range, an unknown host, an address in use), or None."""
    if not 1 <= port <= 65535:
        return Problem(f"--port {port}", "", "must be between 1 and 65535")
    try:
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return Problem(f"--host {host}", "", f"not an address of this machine ({exc.strerror})")
    family, kind, proto, _, where = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
        try:
            probe.bind(where)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = "already in use (another facilitator serve?): choose another port with --port"
                return Problem(address(host, port), "", message)
            reason = exc.strerror or str(exc)
            return Problem(address(host, port), "", f"cannot listen there ({reason})")
    return None


def make_server(command: str, host: str, port: int, title: str, token: str | None, announce, warn):
    """A textual-serve `Server` that admits only through a `Door`, announces itself with
    `announce(line)`, warns with `warn(line)` when reachable from the network, and logs only problems.
    """
    import aiohttp_jinja2
    from textual_serve.server import Server

    door = Door.at(host, port, token)
    exposed = not is_loopback(host)

    class FacilitatorServer(Server):
        def initialize_logging(self) -> None:
            # Warnings and errors only (a tab whose app could not start, with its
            # reason; a request turned away); not a line per HTTP request.
            super().initialize_logging()
            logging.getLogger().setLevel(logging.WARNING)

        async def _make_app(self):
            # textual-serve builds its aiohttp app here and has no other hook for a middleware or a
            # route; the app is not frozen yet, so both can be added (textual-serve is pinned).
            app = await super()._make_app()
            app.middlewares.append(door_keeper(door))
            app.router.add_get("/ws/{token}", self.handle_websocket, name="tab")
            return app

        async def on_startup(self, app) -> None:
            shown = page_address(host, port, token)
            announce(f"Serving facilitator at {shown} (each browser tab runs its own app; Ctrl+C stops)")
            if host in WILDCARDS:
                announce(f"  on every address of this machine, e.g. {page_address(socket.gethostname(), port, token)}")
            if exposed:
                message = (
                    "warning: reachable from the network: anyone who has the address with its token "
                    "can read the notes and type into the meeting (plain http: not encrypted)"
                )
                warn(f"facilitator: {Problem(f'--host {host}', '', message)}")

        async def handle_index(self, request):
            # The page's websocket goes back to the address the browser used (the Door
            # has checked it is one served), not to --host: 0.0.0.0 is no address to connect to.
            self.public_url = f"{request.scheme}://{request.host}"
            # textual-serve's own page, with the token in the websocket's path: textual.js
            # appends "?width=…&height=…" to that URL, so a query would be cut short.
            context = await Server.handle_index.__wrapped__(self, request)
            if token:
                context["app_websocket_url"] += f"/{token}"
            response = aiohttp_jinja2.render_template("app_index.html", request, context)
            response.headers["Referrer-Policy"] = "no-referrer"  # the page's address holds the token
            return response

    return FacilitatorServer(command, host=host, port=port, title=title)
