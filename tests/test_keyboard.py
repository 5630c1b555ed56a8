"""What the rapporteur types is exactly what is saved: the real app, typed at as a keyboard does.

Each test runs `facilitator run` in a pseudo-terminal (`pty_app.PtyApp`) and
sends keys as bytes with no gap between them, as a fast typist, a laggy ssh
link or a browser tab delivers them; then it reads the notes folder. Before
the keys were handled in the order typed (issue 11), a burst merged answers
("first pointsecond point" three times), put the answer into the group
("Cambodiathe-answer"), kept one line of a three-line paste, and typed the
"n" of a quick Esc n into the group field.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time
from pathlib import Path
from types import MappingProxyType

import pytest
from pty_app import BACKTAB, ENTER, ESC, PAGEDOWN, TAB, PtyApp, paste

from facilitator.bundled import default_programme
from facilitator.notes import Answer, ItemNotes, Notes, RunState
from facilitator.programme import load_programme
from facilitator.store import LOCK_FILE, NotesFolder, load_notes

PROGRAMME = load_programme(default_programme())
ODD = ['the so-called "one-stop shop"', "UNDP [/b] and [link=x]y[/link]", "Ministère de la Santé",
       "برنامج وطني للمساعدة", "a\\path\\with\\backslashes", "emoji 🙂 and ½"]


def recorded(folder: Path) -> list[tuple[str, str, str, str]]:
    """(item, prompt, group, text) of every answer in the folder, as the files list them."""
    notes = load_notes(folder, PROGRAMME.id)
    return [(item.session_id, a.prompt_id, a.group, a.text) for item in notes.items.values() for a in item.answers]


def by_place(rows: list[tuple[str, str, str, str]]) -> dict[tuple[str, str, str], list[str]]:
    """{(item, prompt, group): texts in the order captured}: the files keep that order within a group."""
    out: dict[tuple[str, str, str], list[str]] = {}
    for item, prompt, group, text in rows:
        out.setdefault((item, prompt, group), []).append(text)
    return out


_STARTED: list[PtyApp] = []


@pytest.fixture(autouse=True)
def _close_every_app():
    """An app left running by a failed test would go on using a core: always end them."""
    yield
    while _STARTED:
        _STARTED.pop().close()


def start(tmp_path: Path, notes: Path, *extra: str) -> PtyApp:
    app = PtyApp(["--notes", str(notes), "--clock", "10:16", *extra], cwd=tmp_path)
    _STARTED.append(app)
    # A rehearsal clock (--clock) on a folder of live notes asks first: yes, here.
    shown = app.wait_for(lambda s: "[y/N]" in s or ("saved" in s and "Answer" in s), what="the run screen")
    if "[y/N]" in shown:
        app.type("y\r")
    app.wait_started()
    return app


def settled(app: PtyApp, count: int, folder: Path) -> None:
    """Wait until `count` answers are on disk and the screen says saved."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if len(recorded(folder)) >= count and "● saved" in app.text():
                return
        except Exception:  # noqa: BLE001 - a folder being written; look again
            pass
        time.sleep(0.05)
    raise AssertionError(f"{count} answers never reached the disk:\n{app.text()}")


def test_bursts_pastes_and_commands_typed_with_no_gap_are_recorded_exactly_once(tmp_path):
    folder = tmp_path / "notes"
    app = start(tmp_path, folder)
    expected: list[tuple[str, str, str, str]] = []
    challenges = ("coordination", "challenges")

    # Esc, then commands typed at once: next item, back to the bar; a group, Tab, 25 answers.
    burst = [ESC, "n", "a", "Camb", TAB]
    for n in range(25):
        burst += [f"Cambodia point {n}", ENTER]
        expected.append((*challenges, "Cambodia", f"Cambodia point {n}"))
    # A group switch and an answer in the same burst, then 24 more.
    burst += [BACKTAB, "col", TAB]
    for n in range(25):
        burst += [f"Colombia point {n}", ENTER]
        expected.append((*challenges, "Colombia", f"Colombia point {n}"))
    app.type(*burst)

    # Odd text: quotes, markup-like brackets, accents, Arabic, backslashes, a tab.
    burst = [BACKTAB, "Peru", TAB]
    for n in range(25):
        text = f"{ODD[n % len(ODD)]} {n}"
        burst += [text, ENTER]
        expected.append((*challenges, "Peru", text))
    app.type(*burst)

    # Pastes of several lines (LF, CRLF): one answer each, every line kept (a pasted tab too:
    # a typed Tab goes to the other field).
    lines_lf, lines_crlf = "first line\nsecond line\n\tthird line", "one\r\ntwo\r\nthree"
    app.type(BACKTAB, "sen", TAB, paste(lines_lf), ENTER, paste(lines_crlf), ENTER)
    expected += [(*challenges, "Senegal", lines_lf), (*challenges, "Senegal", "one\ntwo\nthree")]

    # PageDown from the bar moves to the next prompt; 23 more answers there, two groups.
    burst = [PAGEDOWN]
    for n in range(23):
        group = ("Iraq", "Jordan")[n % 2]
        burst += [BACKTAB, group, TAB, f"{group} on context {n}", ENTER]
        expected.append(("coordination", "national-plan-context", group, f"{group} on context {n}"))
    app.type(*burst)

    settled(app, len(expected), folder)
    assert app.quit() == 0
    assert by_place(recorded(folder)) == by_place(expected)
    assert len(recorded(folder)) == len(expected)  # each exactly once
    assert not (folder / LOCK_FILE).exists()


def seed(folder: Path, count: int) -> None:
    """`count` answers over the coordination and monitoring prompts, saved with the app's writer."""
    rng = random.Random(2012)
    slots = [(s.id, p.id) for s in PROGRAMME.sessions if s.id in ("coordination", "monitoring") for p in s.prompts]
    items: dict[str, list[Answer]] = {}
    start_at = dt.datetime(2012, 5, 22, 10, 20)
    for n in range(count):
        session_id, prompt_id = rng.choice(slots)
        items.setdefault(session_id, []).append(Answer(
            id=f"a-seed{n:06d}", prompt_id=prompt_id, group=rng.choice(PROGRAMME.groups),
            text=f"Seeded answer {n} about plans, focal points and budgets", captured_at=start_at,
        ))
    run = RunState(PROGRAMME.id, "coordination", "challenges")
    notes = Notes(run, MappingProxyType({sid: ItemNotes(sid, tuple(a)) for sid, a in items.items()}))
    NotesFolder(folder, PROGRAMME.id).save(notes)


def test_bursts_on_a_folder_of_5000_answers(tmp_path):
    folder = tmp_path / "notes"
    seed(folder, 5000)
    before = len(recorded(folder))
    app = start(tmp_path, folder)
    app.wait_for(lambda s: "answers ·" in s and "reading" not in s, what="the answers read")
    burst, expected = [], []
    for n in range(50):
        group = ("Cambodia", "Peru", "Yemen")[n // 17]
        if n % 17 == 0:
            burst += [BACKTAB, group, TAB]
        burst += [f"Typed at speed {n}", ENTER]
        expected.append(("coordination", "challenges", group, f"Typed at speed {n}"))
    app.type(*burst)
    settled(app, before + len(expected), folder)
    assert app.quit() == 0
    after = recorded(folder)
    assert len(after) == before + 50
    typed = [row for row in after if row[3].startswith("Typed at speed")]
    assert by_place(typed) == by_place(expected) and len(typed) == len(expected)


def test_keys_per_answer(tmp_path):
    """Same group: Enter alone. Any group of the programme, or one used before: at most 5 keys
    beyond the text (Shift+Tab to the group, at most 2 letters, Tab, Enter)."""
    from facilitator.groups import Roster

    folder = tmp_path / "notes"
    app = start(tmp_path, folder)
    app.type(ESC, "n", "a")
    used = "Mine Action Coordination Centre"
    roster = Roster(PROGRAMME.groups, (), [used])
    expected, keys = [], []
    # A new group typed in full the first time; then every group by its shortest query.
    app.type(used, TAB, "first from a new group", ENTER)
    expected.append(used)
    for group in [*PROGRAMME.groups, used]:
        query = next(q for q in _queries() if roster.complete(q)[:1] == [group])
        typed = [BACKTAB, *query, TAB]
        keys.append(len(typed) + 1)  # + Enter
        app.type(*typed, f"said by {group}", ENTER)
        expected.append(group)
        app.type(f"and again by {group}", ENTER)  # the same group: Enter only
        expected.append(group)
    settled(app, len(expected), folder)
    assert app.quit() == 0
    assert sorted(row[2] for row in recorded(folder)) == sorted(expected)
    assert max(keys) <= 5


F4, F6, F7, F8 = "\x1bOS", "\x1b[17~", "\x1b[18~", "\x1b[19~"  # as xterm and tmux send them


def test_the_floor_typed_in_one_burst(tmp_path):
    """F4 and the names asking for the floor, Esc, F6 and what the speaker says, Enter, F6...: one
    write, no gap. Each answer is its speaker's and in its intervention, though no group was typed:
    giving the floor is one key, an answer its text and Enter."""
    folder = tmp_path / "notes"
    app = start(tmp_path, folder)
    app.type(F4, "camb", ENTER, "col", ENTER, "camb", ENTER, ESC,
             F6, "cambodia first", ENTER, "cambodia second", ENTER,
             F6, "colombia only", ENTER,
             F6, F7, "cambodia again", ENTER, F8)
    settled(app, 4, folder)
    assert app.quit() == 0
    notes = load_notes(folder, PROGRAMME.id)
    answers = {a.text: a for item in notes.items.values() for a in item.answers}
    spoke = {s.id: s for item in notes.items.values() for s in item.interventions}
    assert [(s.group, s.extended) for s in sorted(spoke.values(), key=lambda s: s.started_at)] == [
        ("Cambodia", 0), ("Colombia", 0), ("Cambodia", 60)]
    for text, group in [("cambodia first", "Cambodia"), ("cambodia second", "Cambodia"),
                        ("colombia only", "Colombia"), ("cambodia again", "Cambodia")]:
        assert answers[text].group == group
        assert spoke[answers[text].intervention].group == group
    assert notes.run.floor is None and notes.run.speakers == ()


def _queries():
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    yield from (a + b for a in letters for b in letters)


# ----------------------------------------------------------------------------- signals


@pytest.mark.parametrize("seed_value", range(6))
def test_sigkill_after_enter_never_loses_an_answer_shown_as_saved(tmp_path, seed_value):
    """kill -9 at a random moment after Enter: every answer ever shown with "● saved" is on disk.

    Every frame the app wrote before the kill is replayed afterwards: an answer
    on any of them whose top line says "● saved" must be in the notes folder.
    """
    rng = random.Random(seed_value)
    folder = tmp_path / "notes"
    app = start(tmp_path, folder)
    first = f"Point {seed_value} shown as saved before the others"
    app.type(ESC, "n", "a", "Chad", TAB, first, ENTER)
    app.wait_for(lambda s: first in s and "● saved" in s.splitlines()[0], what="the first answer saved")
    texts = [first]
    for n in range(rng.randint(2, 10)):
        texts.append(f"Point {seed_value}-{n} typed just before the kill")
        app.type(texts[-1], ENTER)
        time.sleep(rng.uniform(0.0, 0.05))
    time.sleep(rng.uniform(0.0, 0.03))
    killed_at = time.monotonic()
    app.signal(signal.SIGKILL)
    app.wait_exit()
    shown_saved: set[str] = set()
    for lines in app.screens(before=killed_at):
        if "● saved" in lines[0]:
            board = "\n".join(lines[1:])
            shown_saved |= {t for t in texts if t in board}
    on_disk = {row[3] for row in recorded(folder)}
    assert first in shown_saved  # the test saw what it checks
    assert shown_saved <= on_disk, f"shown as saved but lost: {shown_saved - on_disk}"


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_right_after_enter_save_everything_and_let_go_of_the_folder(tmp_path, number):
    folder = tmp_path / "notes"
    app = start(tmp_path, folder)
    texts = [f"Answer {n} typed just before the window closed" for n in range(15)]
    app.type(ESC, "n", "a", "Chad", TAB, *(piece for t in texts for piece in (t, ENTER)))
    app.wait_for(lambda s: texts[-1] in s, what="the last answer on screen")
    app.signal(number)
    status = app.wait_exit()
    assert status != 0  # ended by a signal, said so
    assert by_place(recorded(folder)) == {("coordination", "challenges", "Chad"): texts}
    assert not (folder / LOCK_FILE).exists()
    assert not [name for name in os.listdir(folder) if name.endswith(".tmp")]
