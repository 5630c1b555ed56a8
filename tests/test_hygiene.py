"""The core stays free of the UI and of dangerous calls.

Only `facilitator/tui/` (and `facilitator/launch.py`, which starts it) may
import Textual, so the command line, the exporters and the summary run and are
tested without a terminal. Nothing in the package evaluates text as code,
unpickles data or runs a shell.
"""

from __future__ import annotations

import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import facilitator

PACKAGE = Path(facilitator.__file__).resolve().parent
UI_ONLY = {"facilitator.tui", "facilitator.launch"}


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
    for name in ("programme", "problems", "bundled", "cli", "notes", "schedule", "store"):
        assert f"facilitator.{name}" in modules
    assert not any(m == "facilitator.tui" or m.startswith("facilitator.tui.") for m in modules)
    assert "facilitator.launch" not in modules


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
        if not relative(path).startswith("facilitator/tui/")
        and relative(path) != "facilitator/launch.py"
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
