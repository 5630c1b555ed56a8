"""`facilitator serve`: the app in a browser through textual-serve.

The server runs as a real process on a free localhost port; the test fetches
the page over HTTP, then opens the page's websocket as a browser tab would
and waits for the app's first screen, then stops the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.tui.serve import address, run_command

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 20.0) -> str:
    """GET `url`, retrying while the server starts (at most `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.status == 200
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def server(tmp_path):
    """`python -m facilitator.tui.serve` on a free port, notes in tmp_path; stopped afterwards."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", "--port", str(port), "--notes", str(tmp_path / "notes")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # Ctrl+C
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_serve_answers_on_localhost_with_the_app_shell_then_stops(server, tmp_path):
    process, port = server
    page = fetch(f"http://127.0.0.1:{port}/")
    assert "js/textual.js" in page  # textual-serve's terminal in the page
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    assert "facilitator — Parallel Programme for Victim Assistance Experts" in page

    # A browser tab: the websocket starts `facilitator run`, whose first screen comes back.
    # A second tab on the same notes folder meets the lock and says so, on its own screen.
    import aiohttp

    async def read_until(ws, wanted: bytes) -> bytes:
        received = b""
        deadline = time.monotonic() + 30
        while wanted not in received and time.monotonic() < deadline:
            message = await ws.receive(timeout=30)
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
        return received

    async def two_tabs() -> tuple[bytes, bytes]:
        url = f"ws://127.0.0.1:{port}/ws?width=120&height=36"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as first:
            shown_first = await read_until(first, b"Parallel Programme")
            async with session.ws_connect(url) as second:
                shown_second = await read_until(second, b"This tab cannot open the meeting")
        return shown_first, shown_second

    first, second = asyncio.run(two_tabs())
    assert b"Parallel Programme" in first
    assert b"This tab cannot open the meeting" in second  # why: see test_a_tab_on_a_locked_folder_says_why

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert f"Serving facilitator at http://127.0.0.1:{port} (each browser tab runs its own app" in output
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    # The tab's app released the notes folder when the tab closed.
    assert not (tmp_path / "notes" / ".lock").exists()


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
        f"{sys.executable} -m facilitator.tui.serve '{tmp_path}/my programme.toml' --notes '{tmp_path}/notes dir'"
    )
    assert run_command(None, None) == f"{sys.executable} -m facilitator.tui.serve"
    assert run_command("small-group-workshop-half-day", None).endswith("serve small-group-workshop-half-day")
    assert address("::1", 8000) == "http://[::1]:8000"


def test_a_tab_on_a_locked_folder_says_why(tmp_path, monkeypatch, capsys):
    from facilitator.store import NotesFolder
    from facilitator.tui import serve

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
