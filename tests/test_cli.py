"""The command line: `list`, `validate`, `show`, `--help`.

Bad input of any kind gives one line per problem on stderr (`file:line: key
path: message`), exit status 2 and never a traceback. Most tests call
`facilitator.cli.main` in-process; a few run `python -m facilitator` to check
the real entry point, exit status and streams.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import bundled
from facilitator.cli import main

REPO = Path(__file__).resolve().parent.parent
EXERCISES = sorted((REPO / "exercises").glob("*.toml"))

GOOD = """\
schema = 1
id = "cli-demo"
title = "CLI demo"
date = "2030-01-15"

[[sessions]]
id = "opening"
start = "09:00"
title = "Opening"
kind = "opening"

[[sessions]]
id = "talk"
start = "09:30"
title = "Talk"
kind = "discussion"
"""

BROKEN = GOOD.replace('start = "09:30"', 'start = "25:99"').replace('kind = "opening"', 'kind = "openning"')


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        check=False,
    )


def words(text: str) -> str:
    """Text with every run of whitespace made one space: wrapping does not matter."""
    return " ".join(text.split())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -------------------------------------------------------------------- help


def test_help() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("run", "list", "validate", "show"):
        assert command in result.stdout
    assert result.stderr == ""


def test_unknown_command_is_a_usage_error() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr


# -------------------------------------------------------------------- list


def test_list_shows_both_bundled_programmes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert str(bundled.exercises_dir()) in out
    lines = out.splitlines()
    # The id, what `run` and `show` take, is whole on its line (never wrapped or cut).
    row_2012 = next(line for line in lines if "parallel-programme-2012-05-22" in line)
    assert "22 May 2012" in row_2012
    row_workshop = next(line for line in lines if "small-group-workshop-half-day" in line)
    assert "10 Mar 2026" in row_workshop
    assert "Parallel Programme for Victim Assistance Experts" in words(out)
    assert "Closing the Gaps in Rural Rehabilitation Services" in words(out)


def test_list_fits_80_columns(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    main(["list"])
    folder, *rest = capsys.readouterr().out.splitlines()
    assert folder == f"Bundled programmes in {bundled.exercises_dir()}:"  # whole, however long
    assert rest and all(len(line) <= 80 for line in rest)


# ---------------------------------------------------------------- validate


def test_validate_the_bundled_programmes() -> None:
    assert len(EXERCISES) >= 2
    result = run_cli("validate", *map(str, EXERCISES))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.count(": ok — ") == len(EXERCISES)
    assert "exercises/parallel-programme-2012-05-22.toml: ok — Parallel Programme" in result.stdout
    assert "6 agenda items, 9 prompts" in result.stdout


def test_validate_a_broken_file_lists_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", BROKEN)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines == [
        f"facilitator: {path}:10: sessions[0].kind: 'openning' is not one of opening, discussion, break, "
        "exercise, closing (did you mean 'opening'?)",
        f'facilitator: {path}:14: sessions[1].start: must be a time like "10:15", not the string "25:99"',
    ]
    for line in lines:
        assert re.match(rf"facilitator: {re.escape(str(path))}:\d+: sessions\[\d\]\.\w+: .+", line)


def test_validate_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "syntax.toml", GOOD.replace('title = "Talk"', "title = Talk"))
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"facilitator: {path}:15: TOML syntax: ")
    assert "Traceback" not in result.stderr


def test_validate_good_and_bad_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.toml", GOOD)
    bad = write(tmp_path, "bad.toml", BROKEN)
    assert main(["validate", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"{good}: ok — CLI demo, 2 agenda items, 0 prompts" in captured.out
    assert str(bad) not in captured.out
    assert captured.err.count(f"{bad}:") == 2


def unreadable_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    binary = tmp_path / "picture.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    markdown = write(tmp_path, "notes.md", "# Notes\n\nSome *markdown*, not TOML.\n")
    json = write(tmp_path, "programme.json", '{"schema": 1, "id": "x"}\n')
    return {
        "missing": (tmp_path / "nowhere.toml", "no such file"),
        "folder": (tmp_path, "is a folder, not a programme file"),
        "binary": (binary, "is not UTF-8 text (byte 0x89)"),
        "markdown": (markdown, "TOML syntax: "),
        "json": (json, "TOML syntax: "),
    }


@pytest.mark.parametrize("kind", ["missing", "folder", "binary", "markdown", "json"])
def test_validate_unusable_input(tmp_path: Path, kind: str) -> None:
    path, message = unreadable_inputs(tmp_path)[kind]
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"facilitator: {path}")
    assert message in lines[0]


def test_validate_changes_no_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", BROKEN)
    before = path.read_bytes()
    assert main(["validate", str(path)]) == 2
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]


def test_validate_needs_a_file() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2


# -------------------------------------------------------------------- show


def test_show_the_2012_programme_by_id(tmp_path: Path) -> None:
    result = run_cli("show", "parallel-programme-2012-05-22", cwd=tmp_path)  # found by id from anywhere
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    text = words(out)
    assert text.startswith("Parallel Programme for Victim Assistance Experts")
    assert "Tuesday 22 May 2012" in text
    assert "Salle B, Ground Floor, WMO Building, 7bis Avenue de la Paix, Geneva" in text
    assert "Chairs: Algeria, Croatia" in text
    # The agenda table: each item's planned time on the row with its title.
    for time, title in [
        ("10:00–10:15", "Opening of the"),
        ("10:15–13:00", "Coordination in the"),
        ("13:00–15:00", "Break for lunch"),
        ("15:00–16:30", "Monitoring the"),
        ("(16:30–18:00)", "Participatory"),  # no start of its own: in brackets
        ("18:00", "Parallel Programme"),
    ]:
        assert re.search(rf"^{re.escape(time)}\s+{title}", out, re.MULTILINE), time
    assert "Scene-setting presentation: ICBL" in text
    assert "Scene-setting presentation: ICRC" in text
    assert "H.E. Prak Sokhonn of Cambodia" in text
    assert "1. What are the main challenges encountered in ensuring a coordinated approach to the " in text
    assert "5. What can be done to ensure that landmine survivors and other persons with disabilities" in text
    assert "3. How is implementation measured, in terms of outputs, outcomes and impact?" in text
    assert "Cartagena Action Plan, Action #24" in text
    assert "Categories: Output / Outcome / Impact" in text


def test_show_a_file_by_path(capsys: pytest.CaptureFixture[str]) -> None:
    template = REPO / "exercises" / "small-group-workshop-half-day.toml"
    assert main(["show", str(template)]) == 0
    out = capsys.readouterr().out
    text = words(out)
    assert text.startswith("Closing the Gaps in Rural Rehabilitation Services")
    for time, title in [
        ("09:00–09:15", "Welcome and purpose"),
        ("(09:35–10:20)", "Small groups: what"),
        ("(10:20–10:40)", "Coffee break"),
        ("(12:15–12:30)", "Closing remarks"),
    ]:
        assert re.search(rf"^{re.escape(time)}\s+{re.escape(title)}", out, re.MULTILINE), time
    assert "Categories: Quick win / Long term / Needs funding / Needs legislation" in text
    assert "1. What stops people in rural areas from reaching rehabilitation services?" in text
    assert "(time in brackets)" in text


def test_show_prints_text_as_written_not_as_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Square brackets in a title are the meeting's words, not Rich markup.
    text = GOOD.replace('title = "Talk"', 'title = "Report-back [optional] [/]"').replace(
        'title = "CLI demo"', 'title = "Demo [bold]draft[/bold]"'
    )
    path = write(tmp_path, "brackets.toml", text)
    assert main(["show", str(path)]) == 0
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "Report-back [optional] [/]" in words(captured.out)
    assert words(captured.out).count("Demo [bold]draft[/bold]") == 2  # show's heading and validate's line
    assert captured.err == ""


def test_show_several_days(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD.replace('date = "2030-01-15"', 'dates = ["2030-01-15", "2030-01-16"]') + (
        '\n[[sessions]]\nid = "day-2"\ndate = "2030-01-16"\nstart = "10:00"\ntitle = "Second day"\nkind = "closing"\n'
    )
    path = write(tmp_path, "two-days.toml", text)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Tuesday 15 January 2030, Wednesday 16 January 2030" in out
    assert re.search(r"^Tue 15 Jan\s+09:00–09:30\s+Opening", out, re.MULTILINE)
    assert re.search(r"^Wed 16 Jan\s+10:00\s+Second day", out, re.MULTILINE)


def test_show_a_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", BROKEN)
    result = run_cli("show", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 2
    assert f"{path}:14: sessions[1].start:" in result.stderr


def test_show_an_unknown_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "no-such-programme"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "facilitator: no-such-programme: no such file, nor a bundled programme of that id (see `facilitator list`)\n"
    )


def test_show_a_folder_or_binary(tmp_path: Path) -> None:
    binary = tmp_path / "picture.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n")
    for target, message in [(tmp_path, "is a folder"), (binary, "is not UTF-8 text")]:
        result = run_cli("show", str(target))
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert message in result.stderr


def test_a_local_file_wins_over_a_bundled_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `show NAME`: an existing path is that file, even when a bundled id has the same name.
    write(tmp_path, "parallel-programme-2012-05-22", GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["show", "parallel-programme-2012-05-22"]) == 0
    assert words(capsys.readouterr().out).startswith("CLI demo")
