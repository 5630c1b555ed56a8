"""The core stays free of the UI and of dangerous calls.

Only `facilitator/tui/` (and the commands of `facilitator/cli/` that start it) may
import Textual, so the command line, the exporters and the summary run and are
tested without a terminal. Nothing in the package evaluates text as code,
unpickles data or runs a shell.
"""

from __future__ import annotations

import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import facilitator

PACKAGE = Path(facilitator.__file__).resolve().parent
UI_ONLY = {"facilitator.tui", "facilitator.cli"}  # the interface, and the commands that start it


def core_modules() -> list[str]:
    """Every module of the package outside the UI, found without importing any.

    (`pkgutil.walk_packages` would import `facilitator.tui` to look inside it.)
    """
    found: list[str] = []

    def walk(folder: Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(folder)], prefix):
            if info.name in UI_ONLY:
                continue
            found.append(info.name)
            if info.ispkg:
                walk(folder / info.name.rsplit(".", 1)[-1], info.name + ".")

    walk(PACKAGE, "facilitator.")
    return sorted(found)


def test_core_modules_are_found() -> None:
    modules = core_modules()
    for name in ("programme", "problems", "bundled", "notes", "schedule", "store", "summary", "exporters"):
        assert f"facilitator.{name}" in modules
    assert not any(m.startswith(("facilitator.tui", "facilitator.cli")) for m in modules)


def test_importing_the_core_does_not_load_textual() -> None:
    modules = [m for m in core_modules() if m != "facilitator.__main__"]  # __main__ runs the command line
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_list_validate_and_show_do_not_load_textual() -> None:
    script = (
        "import contextlib, io, sys\n"
        "from facilitator import bundled\n"
        "from facilitator.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['list']) == 0\n"
        "    assert main(['show', 'parallel-programme-2012-05-22']) == 0\n"
        "    assert main(['validate', *map(str, bundled.programme_files())]) == 0\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


TEXTUAL_IMPORT = re.compile(r"^\s*(import\s+textual\b|from\s+textual\b)", re.MULTILINE)


def test_no_textual_import_outside_the_tui() -> None:
    offenders = [
        relative(path)
        for path in python_files()
        if not relative(path).startswith(("facilitator/tui/", "facilitator/cli/"))
        and TEXTUAL_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_import_pattern_catches_what_it_should() -> None:
    assert TEXTUAL_IMPORT.search("import textual\n")
    assert TEXTUAL_IMPORT.search("x = 1\n    from textual.app import App\n")
    assert not TEXTUAL_IMPORT.search("import textualize\n# textual is the UI\n")


DANGEROUS = re.compile(r"\beval\(|\bexec\(|\bpickle\b|shell\s*=\s*True|\bos\.system\(|\bmarshal\.loads\(")


def test_no_eval_pickle_or_shell_anywhere_in_the_package() -> None:
    offenders = [
        f"{relative(path)}:{number}: {line.strip()}"
        for path in python_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DANGEROUS.search(line)
    ]
    assert offenders == []


def test_the_dangerous_pattern_catches_what_it_should() -> None:
    for bad in ("eval(text)", "import pickle", "run(cmd, shell=True)", "os.system('ls')", "exec(code)"):
        assert DANGEROUS.search(bad), bad
    for fine in ("ast.literal_eval(text)", "self.evaluate()", "shell_name = 'bash'"):
        assert not DANGEROUS.search(fine), fine


# ------------------------------------------------------------------ no network, no code from data (AST)
#
# The tool works offline: nothing in it opens a connection. One module is exempt,
# `facilitator/tui/serve.py` (`facilitator serve`), whose whole purpose is to listen
# for a web browser through textual-serve; it listens on 127.0.0.1 unless the user
# gives --host. `folder_lock.py` imports `socket` for `socket.gethostname()` only (the
# lock file names the host that holds it): no connection, no lookup.

SERVES_A_BROWSER = "facilitator/tui/serve.py"
NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib", "urllib3", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib",
    "nntplib", "xmlrpc", "socketserver", "requests", "httpx", "aiohttp", "websockets", "webbrowser",
    "textual_serve", "paramiko",
}  # fmt: skip
ALLOWED_SOCKET_USES = {"facilitator/folder_lock.py": {"gethostname"}}
ASYNCIO_NETWORK = {
    "open_connection", "start_server", "open_unix_connection", "start_unix_server", "create_connection",
    "create_server", "create_datagram_endpoint", "sock_connect", "create_unix_connection", "create_unix_server",
}  # fmt: skip
CODE_FROM_DATA = {"eval", "exec", "compile", "__import__", "breakpoint"}
UNSAFE_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib", "yaml", "ctypes"}
OS_SHELL = {
    "system", "popen", "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
    "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "startfile",
}  # fmt: skip


def offences(path: Path) -> list[str]:
    """What one module does that the rules above forbid, as "file:line: what"."""
    import ast

    name = relative(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=name)
    found: list[str] = []

    def say(node: ast.AST, what: str) -> None:
        found.append(f"{name}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                top = module.split(".")[0]
                if top in UNSAFE_MODULES:
                    say(node, f"imports {module}")
                if top in NETWORK_MODULES and name != SERVES_A_BROWSER and not (
                    top == "socket" and name in ALLOWED_SOCKET_USES and isinstance(node, ast.Import)
                ):
                    say(node, f"imports {module}")
            if isinstance(node, ast.ImportFrom) and node.module == "os":
                for alias in node.names:
                    if alias.name in OS_SHELL:
                        say(node, f"imports os.{alias.name}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in CODE_FROM_DATA:
                say(node, f"calls {func.id}()")
            if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords):  # fmt: skip
                say(node, "passes shell=")
            if isinstance(func, ast.Attribute) and func.attr == "import_module":
                argument = node.args[0] if node.args else None
                literal = argument.value if isinstance(argument, ast.Constant) else None
                prefix = argument.values[0].value if isinstance(argument, ast.JoinedStr) and isinstance(
                    argument.values[0], ast.Constant) else None  # fmt: skip
                if not (literal or prefix or "").startswith("facilitator."):
                    say(node, "imports a module named at run time")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner, attribute = node.value.id, node.attr
            if owner == "os" and attribute in OS_SHELL:
                say(node, f"uses os.{attribute}")
            if owner == "asyncio" and attribute in ASYNCIO_NETWORK:
                say(node, f"uses asyncio.{attribute}")
            allowed = ALLOWED_SOCKET_USES.get(name, set())
            if owner == "socket" and name != SERVES_A_BROWSER and attribute not in allowed:
                say(node, f"uses socket.{attribute}")
    return found


def test_no_network_and_no_code_from_data_anywhere_in_the_package() -> None:
    assert [line for path in python_files() for line in offences(path)] == []


def test_the_one_module_that_listens_is_serve_and_it_listens_on_this_machine_only() -> None:
    import ast

    listeners = [relative(p) for p in python_files() if any(
        isinstance(n, ast.Import | ast.ImportFrom) and any(
            (a.name if isinstance(n, ast.Import) else n.module or "").split(".")[0] == "textual_serve" for a in n.names)
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]  # fmt: skip
    assert listeners in ([], [SERVES_A_BROWSER])
    from facilitator.cli import build_parser

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_the_scan_catches_what_it_should(tmp_path: Path, monkeypatch) -> None:
    bad = {
        "a.py": "import urllib.request\n",
        "b.py": "from http import client\n",
        "c.py": "import socket\nsocket.create_connection(('x', 80))\n",
        "d.py": "import asyncio\nasyncio.open_connection('x', 80)\n",
        "e.py": "x = eval('1')\n",
        "f.py": "import subprocess\nsubprocess.run('ls', shell=True)\n",
        "g.py": "import os\nos.system('ls')\n",
        "h.py": "import marshal\n",
        "i.py": "import importlib\nimportlib.import_module(name)\n",
        "j.py": "from os import popen\n",
        "k.py": "import webbrowser\n",
    }
    fine = "import socket, asyncio, importlib\nsocket.gethostname()\nasyncio.to_thread(f)\n"
    fine += "importlib.import_module(f'facilitator.exporters.{m}')\nast.literal_eval(x)\nrun(cmd, shell=False)\n"
    package = tmp_path / "facilitator"
    package.mkdir()
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    for file, text in bad.items():
        (package / file).write_text(text, encoding="utf-8")
        assert offences(package / file), file
    (package / "folder_lock.py").write_text(fine, encoding="utf-8")
    assert offences(package / "folder_lock.py") == []
    (package / "other.py").write_text("import socket\nsocket.gethostname()\n", encoding="utf-8")
    assert offences(package / "other.py") != []  # socket is allowed in folder_lock.py only


BLOCK_THE_NETWORK = """
import socket, sys
attempts = []

def refuse(name):
    def refused(*args, **kwargs):
        attempts.append(name)
        raise OSError(f"network access attempted: {name}")
    return refused

for name in ("connect", "connect_ex", "bind", "listen", "sendto", "sendmsg"):
    setattr(socket.socket, name, refuse("socket." + name))
for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
             "create_server", "socketpair"):
    setattr(socket, name, refuse(name))
socket.socket.__init__ = refuse("socket()")
"""


def test_every_command_works_with_the_network_refused(tmp_path: Path) -> None:
    """The real commands, in a process where opening any socket or resolving any name raises."""
    from facilitator import bundled
    from facilitator.notes import add_answer, empty_notes
    from facilitator.store import NotesFolder

    notes = tmp_path / "notes"
    answers, _ = add_answer(empty_notes("parallel-programme-2012-05-22"), "coordination", "challenges", "Chad", "x",
                            __import__("datetime").datetime(2012, 5, 22, 10, 30))  # fmt: skip
    NotesFolder(notes, answers.programme_id).save(answers)
    commands = [["list"], ["validate", *map(str, bundled.programme_files())], ["show", "parallel-programme-2012-05-22"]]
    for f in ("md", "html", "csv", "json", "docx"):
        commands.append(["export", str(notes), "-f", f, "-o", str(tmp_path / f"n.{f}")])
    for f in ("text", "md", "html", "docx"):
        commands.append(["summary", str(notes), "-f", f, "-o", str(tmp_path / f"s.{f}")])
    script = BLOCK_THE_NETWORK + (
        "import contextlib, io, json\n"
        "from facilitator.cli import main\n"
        f"codes = []\nfor argv in {commands!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        codes.append(main(argv))\n"
        "print(json.dumps({'codes': codes, 'attempts': attempts}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"codes": [0] * len(commands), "attempts": []}


async def test_the_app_runs_captures_exports_and_quits_with_the_network_refused(tmp_path: Path, monkeypatch) -> None:
    """The event loop needs a local socket pair (not the network), so here only connections and lookups are refused."""
    import datetime as dt
    import socket

    from facilitator.bundled import default_programme
    from facilitator.clock import FakeClock
    from facilitator.meeting import Meeting
    from facilitator.notes import Notes
    from facilitator.programme import load_programme
    from facilitator.store import NotesFolder, load_notes
    from facilitator.tui.app import make_app

    attempts: list[str] = []

    def refuse(what: str):
        def refused(*args, **kwargs):
            attempts.append(what)
            raise OSError(f"network access attempted: {what}")

        return refused

    for name in ("connect", "connect_ex", "bind", "listen", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyaddr", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    programme = load_programme(default_programme())
    with NotesFolder(tmp_path / "run" / "notes", programme.id) as folder:
        meeting = Meeting(programme, Notes(folder.load_run_state()), FakeClock(dt.datetime(2012, 5, 22, 10, 30)))
        app = make_app(meeting, folder, load_in_background=True)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(200):
                await pilot.pause(0.02)
                if not app.loading:
                    break
            bar = app.screen.capture_bar
            bar.group_input.value, bar.text_input.value = "Chad", "Offline is fine"
            bar.text_input.focus()
            await pilot.press("enter")
            app.export("md")
            for _ in range(200):
                await pilot.pause(0.02)
                if app.last_export is not None:
                    break
            await pilot.press("ctrl+q")
    assert attempts == []
    assert app.last_export is not None and "Offline is fine" in app.last_export.read_text("utf-8")
    assert load_notes(tmp_path / "run" / "notes", programme.id).answer_count() == 1


# ------------------------------------------------------------------ captured text never drives the terminal

HOSTILE_TEXT = "before \x1b[2J\x1b]52;c;cGF5bG9hZA==\x07\x1b]0;title\x07\x9b31m after"


def hostile_notes(tmp_path: Path) -> Path:
    import datetime as dt

    from facilitator.notes import add_answer, empty_notes, move_to
    from facilitator.store import NotesFolder

    notes, answer = add_answer(empty_notes("parallel-programme-2012-05-22"), "coordination", "challenges",
                               "Chad\x1b[31m", HOSTILE_TEXT, dt.datetime(2012, 5, 22, 10, 30))  # fmt: skip
    from facilitator.themes import star_answer

    notes = move_to(star_answer(notes, answer.id, True), "coordination", "challenges")
    folder = tmp_path / "notes"
    NotesFolder(folder, notes.programme_id).save(notes)
    return folder


def test_the_terminal_guard_pictures_every_control_character() -> None:
    """Rich and Textual, as the app has them: ESC and every other control character drawn as a symbol."""
    from rich.text import Text
    from textual.content import Content

    import facilitator.tui  # noqa: F401 - installs the guard

    for make in (lambda s: Text(s).plain, lambda s: Content(s).plain, lambda s: Text().append(s).plain):
        assert make("a\x1b[2Jb\x00c\x9bd\x7fe") == "a␛[2Jb␀c\ufffdd␡e"
        assert make("tab\tand\nline") == "tab\tand\nline"


async def test_the_app_draws_captured_control_characters_as_symbols(programme_2012, clock, tmp_path: Path) -> None:
    from facilitator.meeting import Meeting
    from facilitator.store import load_notes
    from facilitator.tui.app import make_app

    meeting = Meeting(programme_2012, load_notes(hostile_notes(tmp_path), programme_2012.id), clock)
    app = make_app(meeting)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        screen = app.export_screenshot()
    assert "\x1b" not in screen and "\x9b" not in screen
    assert "before ␛[2J␛]52;c;cGF5bG9hZA==" in screen.replace("&#160;", " ")


def test_summary_and_export_on_a_terminal_show_control_characters_as_symbols(tmp_path: Path) -> None:
    import pty

    folder = hostile_notes(tmp_path)
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(PACKAGE.parent)}
    plain = subprocess.run([sys.executable, "-m", "facilitator", "summary", str(folder)], capture_output=True,
                           text=True, check=False, env=env)  # fmt: skip
    assert plain.returncode == 0 and "\x1b" not in plain.stdout  # not a terminal: no styles, and nothing from the text
    assert "before ␛[2J␛]52;c;cGF5bG9hZA==␇" in plain.stdout

    # `export` to a terminal (a pseudo-terminal here): the symbols; redirected to a file: the exact text.
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "facilitator", "export", str(folder), "-f", "md"],
                          stdout=follower, stderr=subprocess.PIPE, check=False, env=env)  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in shown and b"\xc2\x9b" not in shown and "before ␛\\[2J␛\\]52".encode() in shown
    exact = subprocess.run([sys.executable, "-m", "facilitator", "export", str(folder), "-f", "csv"],
                           capture_output=True, text=True, check=False, env=env)  # fmt: skip
    assert HOSTILE_TEXT in exact.stdout  # a pipe or a file gets what was captured, byte for byte
