"""The notes folder every export test reads: built here, on disk, with hostile text.

`build(tmp_path)` writes a programme file and a notes folder (with the app's own
`NotesFolder.save`) and returns (programme, notes loaded back, folder). The
hand-counted figures the summary must give are in `tests/test_summary.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType

from facilitator.notes import Answer, ItemNotes, Notes, RunState, Theme, Timing
from facilitator.programme import Programme, load_programme
from facilitator.store import NotesFolder, load_notes

PROGRAMME = """\
schema = 1
id = "export-demo"
title = "Export demo: victims & survivors"
subtitle = "A test <programme>"
date = "2030-05-22"
venue = "Salle B, Geneva"
chairs = [{ name = "Algeria", role = "Co-Chair" }, { name = "Croatia", role = "Co-Chair" }]
groups = ["Cambodia", "Chad", "Colombia", "Peru", "Yemen"]

[[sessions]]
id = "opening"
start = "09:00"
title = "Opening"
kind = "opening"
presenters = [{ name = "Co-Chairs" }]

[[sessions]]
id = "coordination"
start = "09:15"
title = "Coordination in the implementation of national plans"
kind = "discussion"
presenters = [{ name = "ICBL", role = "Scene-setting presentation" }]

[[sessions.prompts]]
id = "challenges"
text = "What are the main challenges?"

[[sessions.prompts]]
id = "improve"
text = "How can coordination be improved?"

[[sessions]]
id = "lunch"
start = "12:00"
title = "Lunch"
kind = "break"

[[sessions]]
id = "exercise"
start = "13:00"
title = "Indicators exercise"
kind = "exercise"
categories = ["Output", "Outcome", "Impact"]

[[sessions.prompts]]
id = "indicators"
text = "Which indicators do you use?"

[[sessions]]
id = "end"
start = "15:00"
title = "End"
kind = "closing"
"""

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
PIPE_GROUP = 'Group "A" | B'
MULTILINE = "He said \"yes\" and 'no'\nsecond line\nthird line"
ARABIC = "لا توجد خطة"

# id: (item, prompt, group, text, votes, starred, category)
ANSWERS: dict[str, tuple[str, str, str, str, int, bool, str]] = {
    "a-01": ("coordination", "challenges", "Cambodia", "No single focal point", 2, True, ""),
    "a-02": ("coordination", "challenges", "Cambodia", SCRIPT, 0, False, ""),
    "a-03": ("coordination", "challenges", "Chad", FORMULA, 1, False, ""),
    "a-04": ("coordination", "challenges", PIPE_GROUP, "Pipes | in | text", 0, False, ""),
    "a-05": ("coordination", "challenges", "Chad", MULTILINE, 0, False, ""),
    "a-06": ("coordination", "improve", "Colombia", "Quarterly meetings 🎉", 0, True, ""),
    "a-07": ("coordination", "improve", "Peru", ARABIC, 0, False, ""),
    "a-08": ("coordination", "improve", "Cambodia", "-5% budget, *not* _enough_ [see](x)", 3, False, ""),
    "a-09": ("coordination", "improve", "Colombia", "@mention and +plus", 0, False, ""),
    "a-16": ("coordination", "old-prompt", "Peru", "From a prompt since renamed", 0, False, ""),
    "a-10": ("exercise", "indicators", "Cambodia", "Number of centres", 0, False, "Output"),
    "a-11": ("exercise", "indicators", "Cambodia", "Survivors employed", 0, False, "Outcome"),
    "a-12": ("exercise", "indicators", "Chad", "Fewer deaths & injuries", 0, False, "Impact"),
    "a-13": ("exercise", "indicators", "Chad", "Clinics opened", 0, False, "Output"),
    "a-14": ("exercise", "indicators", "Peru", "\tIndented, not classified", 0, False, ""),
    "a-15": ("exercise", "indicators", "UNDP", "Support for data collection", 0, False, "Output"),
    "a-17": ("side-event", "", "Chad", "Said at a side event", 0, False, ""),
}

THEMES = {
    "coordination": (
        Theme("t-1", "Leadership & focal points", ("a-01", "a-03", "a-06"), 5),
        Theme("t-2", "<i>Funding</i>", ("a-08",), 7),
    ),
}


def at(hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime(2030, 5, 22, hours, minutes)


TIMINGS = {
    "opening": Timing(at("09:00"), at("09:20")),
    "coordination": Timing(at("09:20"), at("12:10")),
    "lunch": Timing(at("12:10"), at("13:05")),
    "exercise": Timing(at("13:05")),
}


def make_notes() -> Notes:
    items: dict[str, list[Answer]] = {}
    for n, (answer_id, (item, prompt, group, text, votes, starred, category)) in enumerate(ANSWERS.items()):
        captured = at("09:30") + dt.timedelta(minutes=n)
        answer = Answer(answer_id, prompt, group, text, captured, None, votes, starred, category)
        items.setdefault(item, []).append(answer)
    run = RunState("export-demo", "exercise", "indicators", MappingProxyType(TIMINGS))
    return Notes(
        run,
        MappingProxyType({sid: ItemNotes(sid, tuple(a), THEMES.get(sid, ())) for sid, a in items.items()}),
    )


def build(tmp_path: Path) -> tuple[Programme, Notes, Path]:
    """The programme, the notes as loaded back from disk, and the notes folder."""
    programme_file = tmp_path / "export-demo.toml"
    programme_file.write_text(PROGRAMME, encoding="utf-8")
    programme = load_programme(programme_file)
    folder = tmp_path / "notes"
    NotesFolder(folder, programme.id).save(make_notes())
    return programme, load_notes(folder), folder


def test_the_fixture_survives_the_notes_folder(tmp_path: Path) -> None:
    _, notes, _ = build(tmp_path)
    assert notes.answer_count() == len(ANSWERS)
    for answer_id, (item, prompt, group, text, votes, starred, category) in ANSWERS.items():
        session_id, answer = notes.find(answer_id)
        assert (session_id, answer.prompt_id, answer.group, answer.text) == (item, prompt, group, text)
        assert (answer.votes, answer.starred, answer.category) == (votes, starred, category)
