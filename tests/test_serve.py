"""`facilitator serve`: the app in a browser through textual-serve, and who may come in.

Each server is a real `facilitator serve` process on a free 127.0.0.1 port; the
tests speak to it with aiohttp's HTTP and websocket clients, as a browser (or a
hostile page in one) would: the page at the address serve printed, then the
page's websocket, which starts a `facilitator run` whose screen comes back.

Who may come in (tests/README.md, "serve: host, origin and token"): the Host
header must name the address served (DNS rebinding sends another name), a
websocket's Origin must be the page's own (another site's page sends its own),
and the page and the websocket need the secret token serve printed.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from facilitator.cli import main
from facilitator.cli.serve import run_command
from facilitator.tui.serve import address

REPO = Path(__file__).resolve().parent.parent
SERVING = "Serving facilitator at "
EVIL = "evil.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int) -> None:
    """aiohttp runs the startup hook that announces the address just before it listens."""
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@dataclass
class Served:
    """A running `facilitator serve` and what it printed."""

    process: subprocess.Popen
    port: int
    printed: str  # the address serve printed for the browser
    notes: Path
    announced: str = ""  # what it printed up to that address

    @property
    def token(self) -> str:
        """The token in the printed address ("" when it printed none)."""
        return parse_qs(urlsplit(self.printed).query).get("token", [""])[0]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tab_url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def stop(self) -> tuple[str, str]:
        """Ctrl+C; all the server printed on stdout and on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            output, errors = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, errors = self.process.communicate()
        return self.announced + output.decode(), errors.decode()


@pytest.fixture
def serve(tmp_path) -> Iterator:
    """`serve(*options)`: `facilitator serve` on a free port, notes in tmp_path; all stopped afterwards."""
    started: list[Served] = []
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def start(*options: str) -> Served:
        port = free_port()
        notes = tmp_path / "notes"
        process = subprocess.Popen(
            [sys.executable, "-m", "facilitator", "serve", "--port", str(port), "--notes", str(notes), *options],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,  # unbuffered: reading the first lines leaves the rest for stop()
        )
        served = Served(process, port, "", notes)
        started.append(served)
        while line := process.stdout.readline().decode():
            served.announced += line
            if line.startswith(SERVING):
                served.printed = line[len(SERVING):].split()[0]
                wait_until_listening(port)
                return served
        raise AssertionError(f"serve did not start: {served.stop()}")

    yield start
    for served in started:
        if served.process.poll() is None:
            served.stop()


async def fetch(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    """GET `url`: status, text and headers."""
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        return response.status, await response.text(), dict(response.headers)


async def tab_status(url: str, origin: str | None, **headers: str) -> int:
    """Open a websocket as a browser tab would (`origin`: the page's; None: no browser); 101 if it opened."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, origin=origin, headers=headers):
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def read_until(ws, wanted: bytes) -> bytes:
    """The tab's screen output until `wanted` shows (or the app stops sending)."""
    received = b""
    deadline = time.monotonic() + 30
    while wanted not in received and time.monotonic() < deadline:
        message = await ws.receive(timeout=30)
        if message.type == aiohttp.WSMsgType.BINARY:
            received += message.data
        elif message.type != aiohttp.WSMsgType.TEXT:
            break
    return received


async def quiet(ws) -> None:
    """Read the tab's screen until it stops changing for half a second."""
    while True:
        try:
            message = await ws.receive(timeout=0.5)
        except TimeoutError:
            return
        if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
            return


def notes_text(notes: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(notes.glob("*.toml"))) if notes.is_dir() else ""


def page_websocket_url(page: str) -> str:
    found = re.search(r'data-session-websocket-url="([^"]*)"', page)
    assert found, page
    return found.group(1)


# -- the good path -------------------------------------------------------------------------------------------


async def test_the_printed_address_opens_the_meeting_and_keystrokes_reach_the_notes(serve):
    served = serve()
    assert re.fullmatch(rf"http://127\.0\.0\.1:{served.port}/\?token=[A-Za-z0-9_-]{{20,}}", served.printed)

    status, page, headers = await fetch(served.printed)
    assert status == 200
    assert "js/textual.js" in page  # textual-serve's terminal in the page
    assert "facilitator — Parallel Programme for Victim Assistance Experts" in page
    # The page carries the token into its websocket; textual.js appends "?width=…&height=…".
    tab = page_websocket_url(page)
    assert tab == f"ws://127.0.0.1:{served.port}/ws/{served.token}"
    assert headers.get("Referrer-Policy") == "no-referrer"  # the token is in the page's address

    # A browser tab: the websocket starts `facilitator run`, whose first screen comes back, and what
    # the rapporteur types is saved. A second tab on the same notes folder meets the lock and says so.
    tab += "?width=120&height=36"
    async with aiohttp.ClientSession() as session, session.ws_connect(tab, origin=served.origin) as first:
        assert b"Parallel Programme" in await read_until(first, b"Parallel Programme")
        await first.send_json(["stdin", "Delegation A\r"])
        await quiet(first)  # Enter moves the focus to the answer once the app has handled it, as a person sees
        await first.send_json(["stdin", "Typed in the browser\r"])
        deadline = time.monotonic() + 30
        while "Typed in the browser" not in notes_text(served.notes) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)  # the app saves once the typing settles (0.1 s)
        assert "Typed in the browser" in notes_text(served.notes)
        async with session.ws_connect(tab, origin=served.origin) as second:
            # why: see test_a_tab_on_a_locked_folder_says_why
            assert b"This tab cannot open the meeting" in await read_until(second, b"This tab cannot open")

    output, _ = served.stop()
    assert served.process.returncode == 0, output
    assert f"{SERVING}{served.printed} (each browser tab runs its own app" in output
    with pytest.raises(aiohttp.ClientConnectionError):
        await fetch(served.printed)
    assert not (served.notes / ".lock").exists()  # the tab's app released the folder when the tab closed


async def test_the_page_answers_at_the_loopback_names_with_the_port(serve):
    served = serve()
    for host in (f"localhost:{served.port}", f"[::1]:{served.port}", f"127.0.0.1:{served.port}"):
        status, page, _ = await fetch(served.printed, Host=host)
        assert status == 200, host
        # The tab goes back to where the page came from.
        assert page_websocket_url(page) == f"ws://{host}/ws/{served.token}"


async def test_a_program_without_a_browser_gets_in_with_the_token(serve):
    # No Origin header: not a browser, so no other site's page can be behind it; the token is the proof.
    served = serve()
    assert await tab_status(served.tab_url(f"/ws/{served.token}"), origin=None) == 101


# -- the token -----------------------------------------------------------------------------------------------


async def test_the_page_and_the_tab_need_the_token(serve):
    served = serve()
    base = f"http://127.0.0.1:{served.port}"
    for url in (f"{base}/", f"{base}/?token=", f"{base}/?token=wrong", f"{base}/?token=%C3%A9%FF",
                f"{base}/?token={served.token}x", f"{base}/?token={served.token[:-1]}"):
        status, text, _ = await fetch(url)
        assert status == 403, url
        assert "open the address facilitator serve printed" in text
        assert "textual" not in text
    for path in ("/ws", "/ws?token=wrong", "/ws/wrong", f"/ws/{served.token}x"):
        for origin in (served.origin, None):
            assert await tab_status(served.tab_url(path), origin) == 403, (path, origin)
    # No app was started for any of them: an app takes the notes folder's lock as it starts.
    assert not served.notes.exists()
    output, _ = served.stop()
    assert "refused" in output  # the facilitator sees, on the server's console, that someone was turned away


def test_each_serve_prints_its_own_token(serve):
    assert serve().token != serve().token


# -- the Origin of a websocket (cross-site websocket hijacking) ---------------------------------------------


async def test_a_page_from_another_site_cannot_open_the_meeting(serve):
    served = serve()
    status, page, _ = await fetch(served.printed)
    assert status == 200
    tab = page_websocket_url(page)  # the token and all: only the Origin is wrong
    other_origins = [
        f"http://{EVIL}",  # any web page visited while serve runs
        f"http://127.0.0.1:{free_port()}",  # another local web app, another port
        f"http://localhost:{served.port}",  # not the page's own (the page came from 127.0.0.1)
        f"https://127.0.0.1:{served.port}",
        "null",  # a sandboxed iframe, a file:// page
    ]
    for origin in other_origins:
        assert await tab_status(tab, origin) == 403, origin
    status, _, _ = await fetch(served.printed, Origin=f"http://{EVIL}")  # another site's fetch() of the page
    assert status == 403
    # Nothing reached the notes: no app was started, so not even the folder exists.
    assert not served.notes.exists()


# -- the Host (DNS rebinding) --------------------------------------------------------------------------------


async def test_a_request_for_another_host_name_is_refused(serve):
    # DNS rebinding: evil.example is made to resolve to 127.0.0.1, so the browser sends "Host: evil.example"
    # and the hostile page's Origin *is* its own; only the Host tells it from the served address.
    served = serve()
    for host in (f"{EVIL}:{served.port}", EVIL, f"127.0.0.1:{free_port()}", "127.0.0.1", f"localhost.:{served.port}"):
        status, text, _ = await fetch(served.printed, Host=host)
        assert status == 403, host
        assert "answers only at the address facilitator serve printed" in text
        assert f"ws://{host}" not in text
    rebound = f"{EVIL}:{served.port}"
    assert await tab_status(served.tab_url(f"/ws/{served.token}"), f"http://{rebound}", Host=rebound) == 403
    assert not served.notes.exists()


async def test_the_static_files_need_no_token_but_the_right_host(serve):
    # textual-serve's JS, CSS and fonts hold no notes; the page's <script> and <link> fetch them without the token.
    served = serve()
    script = f"http://127.0.0.1:{served.port}/static/js/textual.js"
    status, text, _ = await fetch(script)
    assert status == 200 and "WebSocket" in text
    status, _, _ = await fetch(script, Host=f"{EVIL}:{served.port}")
    assert status == 403
    status, _, _ = await fetch(f"http://127.0.0.1:{served.port}/favicon.ico")  # a browser asks; a 404, not a refusal
    assert status == 404


# -- --no-token, on this machine only ------------------------------------------------------------------------


async def test_no_token_on_loopback_still_checks_host_and_origin(serve):
    served = serve("--no-token")
    assert served.printed == f"http://127.0.0.1:{served.port}/"
    status, page, _ = await fetch(served.printed)
    assert status == 200
    assert page_websocket_url(page) == f"ws://127.0.0.1:{served.port}/ws"
    assert (await fetch(served.printed, Host=f"{EVIL}:{served.port}"))[0] == 403
    assert await tab_status(served.tab_url("/ws"), f"http://{EVIL}") == 403
    assert await tab_status(served.tab_url("/ws"), None) == 403  # without a token, only a browser's own page
    assert not served.notes.exists()
    assert await tab_status(served.tab_url("/ws"), served.origin) == 101


def test_no_token_is_refused_off_this_machine(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", str(free_port()), "--no-token"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "facilitator: --no-token: only with a --host of this machine (127.0.0.1, ::1, localhost): "
        "on the network the token is what keeps others out"
    ]


# -- every address of this machine ---------------------------------------------------------------------------


async def test_every_address_warns_and_needs_the_token_and_a_name_of_this_machine(serve):
    served = serve("--host", "0.0.0.0")
    assert re.fullmatch(rf"http://0\.0\.0\.0:{served.port}/\?token=[A-Za-z0-9_-]{{20,}}", served.printed)
    token = served.token
    page = f"http://127.0.0.1:{served.port}/?token={token}"
    # Any address literal of this machine, its name, localhost: a DNS name needs the machine's own name.
    for host in ("127.0.0.1", "192.0.2.7", "[::1]", socket.gethostname(), "localhost"):
        status, text, _ = await fetch(page, Host=f"{host}:{served.port}")
        assert status == 200, (host, text)
    for host in (EVIL, f"{EVIL}.", "attacker.localhost.example"):
        assert (await fetch(page, Host=f"{host}:{served.port}"))[0] == 403, host
    assert (await fetch(f"http://127.0.0.1:{served.port}/"))[0] == 403
    assert await tab_status(served.tab_url(f"/ws/{token}"), f"http://{EVIL}:{served.port}") == 403
    output, errors = served.stop()
    assert f"e.g. http://{socket.gethostname()}:{served.port}/?token={token}" in output
    assert errors.splitlines()[0] == (
        "facilitator: --host 0.0.0.0: warning: reachable from the network: anyone who has the address with its "
        "token can read the notes and type into the meeting (plain http: not encrypted)"
    )


# -- before serving ------------------------------------------------------------------------------------------


def test_a_port_in_use_is_one_line_and_exit_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"facilitator: http://127.0.0.1:{port}: already in use (another facilitator serve?): "
        "choose another port with --port"
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "no-such-programme"], "no-such-programme: no such file, nor a bundled programme"),
        (["serve", "--port", "70000"], "--port 70000: must be between 1 and 65535"),
        (["serve", "--host", "no-such-host.invalid"], "--host no-such-host.invalid: not an address of this machine"),
    ],
)
def test_bad_input_is_refused_before_serving(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_the_command_each_tab_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my programme.toml").write_text("")
    command = run_command("my programme.toml", Path("notes dir"))
    assert command == (
        f"{sys.executable} -m facilitator.cli.serve '{tmp_path}/my programme.toml' --notes '{tmp_path}/notes dir'"
    )
    assert run_command(None, None) == f"{sys.executable} -m facilitator.cli.serve"
    assert run_command("small-group-workshop-half-day", None).endswith("serve small-group-workshop-half-day")
    assert address("::1", 8000) == "http://[::1]:8000"


def test_a_tab_on_a_locked_folder_says_why(tmp_path, monkeypatch, capsys):
    from facilitator.cli import serve
    from facilitator.store import NotesFolder

    shown: list[list[str]] = []
    monkeypatch.setattr("facilitator.tui.serve_tab.show_refusal", shown.append)
    holder = NotesFolder(tmp_path / "notes", "parallel-programme-2012-05-22")
    holder.lock()
    try:
        assert serve.tab_main(["--notes", str(tmp_path / "notes")]) == 2
    finally:
        holder.unlock()
    assert len(shown) == 1 and len(shown[0]) == 1
    assert "is in use by facilitator" in shown[0][0]
    assert "is in use by facilitator" in capsys.readouterr().err  # and on the server's console
