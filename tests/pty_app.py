"""The real app in a pseudo-terminal, typed at as a keyboard does.

Pilot hands keys to the app one at a time, each after the last was handled;
a person's keyboard (and even more a laggy ssh link or a browser tab) does
not wait. `PtyApp` runs `facilitator run` in a pseudo-terminal, writes bytes
to it exactly as a terminal would (a burst is one write, a paste is a
bracketed paste), and reads what it draws through pyte, a terminal emulator,
so a test can assert on the screen as well as on the files.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from fcntl import ioctl
from pathlib import Path

import pyte

REPOSITORY = Path(__file__).resolve().parents[1]

# What a terminal sends for these keys.
TAB, ENTER, ESC, BACKTAB = "\t", "\r", "\x1b", "\x1b[Z"
DOWN, UP, PAGEDOWN, PAGEUP = "\x1b[B", "\x1b[A", "\x1b[6~", "\x1b[5~"
CTRL_Q = "\x11"


def paste(text: str) -> str:
    """A bracketed paste, as a terminal sends one (its line breaks as CR, as xterm and tmux send them)."""
    return "\x1b[200~" + text.replace("\r\n", "\r").replace("\n", "\r") + "\x1b[201~"


class PtyApp:
    """`facilitator run ARGS` in a pseudo-terminal of `size`, with a screen to read."""

    def __init__(self, args: list[str], cwd: Path, size: tuple[int, int] = (120, 36), env: dict | None = None):
        self.columns, self.rows = size
        self.screen = pyte.Screen(self.columns, self.rows)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        self.frames = 0  # how many reads changed the screen, so a test can wait for a new frame
        self.received: list[tuple[float, bytes]] = []  # every read, with when it arrived (see `screens`)
        master, slave = pty.openpty()
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(self.columns),
                       "LINES": str(self.rows), **(env or {})}
        environment.pop("TEXTUAL", None)
        # The code of this checkout, whatever the virtualenv was installed from.
        environment["PYTHONPATH"] = os.pathsep.join([str(REPOSITORY), environment.get("PYTHONPATH", "")])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "facilitator", "run", *args],
            stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=environment, start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._closed:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.received.append((time.monotonic(), data))
            with self.lock:
                self.stream.feed(data)
                self.frames += 1

    # -- typing ----------------------------------------------------------------------

    def type(self, *pieces: str) -> None:
        """Send keys as one burst: one write, no gap between them."""
        os.write(self.master, "".join(pieces).encode("utf-8"))

    # -- reading the screen ----------------------------------------------------------

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.screen.display)

    def lines(self) -> list[str]:
        with self.lock:
            return list(self.screen.display)

    def screens(self, before: float) -> Iterator[list[str]]:
        """Every screen the app showed (read before `before`), replayed from the bytes it wrote.

        Replayed afterwards, not parsed as they came: a test that kills the app
        knows exactly which frames reached the terminal before the kill.
        """
        screen = pyte.Screen(self.columns, self.rows)
        stream = pyte.ByteStream(screen)
        for arrived, data in list(self.received):
            if arrived >= before:
                return
            stream.feed(data)
            yield list(screen.display)

    def wait_for(self, condition: Callable[[str], bool], timeout: float = 60.0, what: str = "") -> str:
        """Wait until the screen's text satisfies `condition`; returns that text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.text()
            if condition(shown):
                return shown
            if self.process.poll() is not None:
                raise AssertionError(f"the app ended (status {self.process.returncode}) waiting for {what}:\n{shown}")
            time.sleep(0.01)
        raise AssertionError(f"timed out waiting for {what}:\n{self.text()}")

    def wait_started(self) -> None:
        self.wait_for(lambda s: "saved" in s and ("Answer" in s or "Notes" in s), what="the run screen")

    # -- ending ----------------------------------------------------------------------

    def signal(self, number: int) -> None:
        os.kill(self.process.pid, number)

    def wait_exit(self, timeout: float = 20.0) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self.close()

    def quit(self) -> int:
        self.type(CTRL_Q)
        return self.wait_exit()

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self._closed = True
        self._reader.join(2)
        with contextlib.suppress(OSError):
            os.close(self.master)
