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
MULTILINE = "He said \"yes\" and 'no'\nsecond line\n  - third line, indented"  # a paste: breaks and indents kept
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


# ------------------------------------------------------------------ a rehearsed 2012 day

# (item, prompt, group as typed, text, votes, starred, category) in capture order. Groups are typed as a
# rapporteur types them: "Sénégal" for the programme's "Senegal", names in Arabic and Thai the programme
# does not hold, organisations, long names; answers in Arabic, French and English, some of several lines.
# Albania, Eritrea and Ethiopia say nothing.
REHEARSAL: list[tuple[str, str, str, str, int, bool, str]] = [
    (
        "coordination",
        "challenges",
        "Cambodia",
        "No single government focal point with authority over all ministries",
        3,
        True,
        "",
    ),
    (
        "coordination",
        "challenges",
        "Sénégal",
        "Manque de coordination entre le ministère de la Santé et celui de l'Action sociale",
        2,
        False,
        "",
    ),
    ("coordination", "challenges", "Jordan", "لا توجد خطة وطنية موحدة للتنسيق بين الوزارات", 2, True, ""),
    (
        "coordination",
        "challenges",
        "Democratic Republic of the Congo",
        "Provincial plans are not aligned with the national plan\n  - health\n  - education\n  - transport",
        1,
        False,
        "",
    ),
    ("coordination", "challenges", "Afghanistan", "Donor-driven projects bypass the national plan", 4, False, ""),
    ("coordination", "challenges", "Colombia", "Coordination depends on individuals, not institutions", 0, False, ""),
    (
        "coordination",
        "challenges",
        "senegal",
        "Les associations de survivants ne sont pas invitées aux réunions",
        0,
        False,
        "",
    ),
    (
        "coordination",
        "challenges",
        "المغرب",
        "التنسيق ضعيف على المستوى المحلي، 3 لجان فقط من أصل 12 تعمل",
        1,
        False,
        "",
    ),
    (
        "coordination",
        "challenges",
        "Bosnia and Herzegovina",
        "Two entities, two systems: data are not shared",
        0,
        False,
        "",
    ),
    ("coordination", "challenges", "Thailand", "Budget lines are split across five ministries", 0, False, ""),
    (
        "coordination",
        "national-plan-context",
        "Peru",
        "Most actors work within the plan, but NGOs report separately",
        0,
        False,
        "",
    ),
    ("coordination", "national-plan-context", "Uganda", "Yes, since the 2010 review", 0, False, ""),
    (
        "coordination",
        "national-plan-context",
        "ประเทศไทย",
        "แผนแม่บทด้านคนพิการฉบับที่ 4 ครอบคลุมผู้รอดชีวิตจากทุ่นระเบิด",
        1,
        False,
        "",
    ),
    ("coordination", "national-plan-context", "Iraq", "ليس بعد: الخطة قيد المراجعة منذ عام 2011", 0, False, ""),
    (
        "coordination",
        "national-plan-context",
        "Croatia",
        "All actors report to the inter-ministerial commission twice a year",
        0,
        False,
        "",
    ),
    (
        "coordination",
        "improve-coordination",
        "Cambodia",
        "Quarterly inter-ministerial meetings chaired by the Deputy Prime Minister",
        5,
        True,
        "",
    ),
    (
        "coordination",
        "improve-coordination",
        "Chad",
        "A shared database of services\nopen to every ministry\nand to the provinces",
        2,
        False,
        "",
    ),
    ("coordination", "improve-coordination", "Mozambique", "Focal points in each province", 1, False, ""),
    ("coordination", "improve-coordination", "Sudan", "تعيين منسق وطني بصلاحيات واضحة", 3, False, ""),
    (
        "coordination",
        "improve-coordination",
        "El Salvador",
        "Include survivors' associations in the coordination body",
        2,
        True,
        "",
    ),
    (
        "coordination",
        "improve-coordination",
        "Senegal",
        "Un comité national qui se réunit chaque trimestre",
        0,
        False,
        "",
    ),
    ("coordination", "improve-coordination", "UNDP", "Annual joint review with donors", 0, False, ""),
    (
        "coordination",
        "national-ownership",
        "Tajikistan",
        "International organisations should second staff to the ministry rather than run parallel projects",
        1,
        False,
        "",
    ),
    ("coordination", "national-ownership", "ICRC", "Funding through the national budget", 0, False, ""),
    (
        "coordination",
        "national-ownership",
        "Handicap International",
        "Training of national staff before handover",
        0,
        False,
        "",
    ),
    (
        "coordination",
        "national-ownership",
        "Guinea-Bissau",
        "Donors align their reporting periods with ours",
        0,
        False,
        "",
    ),
    (
        "coordination",
        "survivor-involvement",
        "Nicaragua",
        "Survivors sit on the national disability council",
        2,
        True,
        "",
    ),
    ("coordination", "survivor-involvement", "Yemen", "إشراك الناجين في لجان المتابعة في كل محافظة", 1, False, ""),
    ("coordination", "survivor-involvement", "Angola", "Peer support networks run by survivors", 0, False, ""),
    (
        "coordination",
        "survivor-involvement",
        "Burundi",
        "Quotas for persons with disabilities in public employment",
        0,
        False,
        "",
    ),
    ("monitoring", "monitoring-challenges", "Serbia", "No baseline: the first survey dates from 2009", 1, False, ""),
    ("monitoring", "monitoring-challenges", "Colombia", "Indicators measure activities, not results", 3, True, ""),
    ("monitoring", "monitoring-challenges", "Iraq", "البيانات غير محدثة منذ 2008", 0, False, ""),
    (
        "monitoring",
        "monitoring-challenges",
        "Afghanistan",
        "Insecurity prevents field visits in 4 provinces",
        0,
        False,
        "",
    ),
    (
        "monitoring",
        "monitoring-challenges",
        "République démocratique du Congo",
        "Pas de registre national des victimes",
        0,
        False,
        "",
    ),
    ("monitoring", "actors-involved", "Peru", "Civil society is not part of the monitoring committee", 0, False, ""),
    ("monitoring", "actors-involved", "Uganda", "Yes, through the district disability councils", 0, False, ""),
    ("monitoring", "actors-involved", "Jordan", "نعم، من خلال المجلس الأعلى لشؤون الأشخاص المعوقين", 0, False, ""),
    (
        "monitoring",
        "measurement",
        "Cambodia",
        "Number of prosthetic devices fitted\nShare of survivors in paid work",
        2,
        False,
        "",
    ),
    ("monitoring", "measurement", "Mozambique", "Mostly outputs", 0, False, ""),
    ("monitoring", "measurement", "Thailand", "Outputs and some outcomes", 0, False, ""),
    ("monitoring-exercise", "indicators", "Cambodia", "Number of prosthetic devices fitted", 0, False, "Output"),
    ("monitoring-exercise", "indicators", "Cambodia", "Share of survivors in paid work", 0, False, "Outcome"),
    (
        "monitoring-exercise",
        "indicators",
        "Democratic Republic of the Congo",
        "Number of physiotherapists trained",
        0,
        False,
        "Output",
    ),
    ("monitoring-exercise", "indicators", "Sénégal", "Nombre de survivants ayant accès aux soins", 0, False, "Outcome"),
    ("monitoring-exercise", "indicators", "Jordan", "نسبة الناجين الذين يحصلون على دخل", 0, False, "Outcome"),
    ("monitoring-exercise", "indicators", "Colombia", "Survivors report a better quality of life", 0, False, "Impact"),
    ("monitoring-exercise", "indicators", "Peru", "Rehabilitation centres opened", 0, False, "Output"),
    ("monitoring-exercise", "indicators", "Peru", "Time from injury to first care", 0, False, ""),
    (
        "monitoring-exercise",
        "indicators",
        "Bosnia and Herzegovina",
        "Survivors in the social protection system",
        0,
        False,
        "Outcome",
    ),
    ("monitoring-exercise", "indicators", "ประเทศไทย", "จำนวนอุปกรณ์เทียมที่มอบให้", 0, False, "Output"),
    ("monitoring-exercise", "indicators", "Thailand", "Children with disabilities in mainstream schools", 0, False, ""),
    ("monitoring-exercise", "indicators", "Uganda", "Legal changes adopted", 0, False, "Impact"),
    ("monitoring-exercise", "indicators", "Chad", "Number of mobile outreach visits", 0, False, "Output"),
    ("monitoring-exercise", "indicators", "El Salvador", "Pensions paid on time", 0, False, "Outcome"),
    ("monitoring-exercise", "indicators", "Mozambique", "Provinces with a focal point", 0, False, "Output"),
    (
        "monitoring-exercise",
        "indicators",
        "Croatia",
        "Unemployment among survivors, against the national rate",
        0,
        False,
        "Impact",
    ),
]

REHEARSAL_THEMES = {
    "coordination": (
        ("Focal points & authority", ("r-01", "r-03", "r-16", "r-19"), 9),
        ("Shared data & reporting", ("r-04", "r-09", "r-17"), 4),
        ("Survivors at the table", ("r-07", "r-20", "r-27", "r-28"), 6),
    ),
    "monitoring": (("Baselines and registries", ("r-31", "r-33", "r-35"), 3),),
}


def rehearsal_notes(programme: Programme) -> Notes:
    """The 2012 programme as a rehearsal leaves it: 57 answers, themes, votes, stars, a kept version, times."""
    from facilitator.notes import Conflict

    day = dt.date(2012, 5, 22)
    items: dict[str, list[Answer]] = {}
    for n, (item, prompt, group, text, votes, starred, category) in enumerate(REHEARSAL, 1):
        captured = dt.datetime.combine(day, dt.time(10, 20)) + dt.timedelta(minutes=5 * n)
        items.setdefault(item, []).append(
            Answer(f"r-{n:02d}", prompt, group, text, captured, None, votes, starred, category)
        )
    first = items["coordination"][0]
    other = Conflict("No focal point in government", first.group, first.prompt_id, None)
    items["coordination"][0] = Answer(**{**first.__dict__, "conflicts": (other,), "edited_at": first.captured_at})
    themes = {
        sid: tuple(Theme(f"t-{sid[:3]}-{k}", name, ids, votes) for k, (name, ids, votes) in enumerate(entries, 1))
        for sid, entries in REHEARSAL_THEMES.items()
    }

    def hm(value: str) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(*map(int, value.split(":"))))

    timings = {
        "opening": Timing(hm("10:00"), hm("10:18")),
        "coordination": Timing(hm("10:18"), hm("13:06")),
        "lunch": Timing(hm("13:06"), hm("15:04")),
        "monitoring": Timing(hm("15:04"), hm("17:01")),
        "monitoring-exercise": Timing(hm("17:01"), hm("18:07")),
    }
    run = RunState(programme.id, "monitoring-exercise", "indicators", MappingProxyType(timings))
    return Notes(
        run, MappingProxyType({sid: ItemNotes(sid, tuple(a), themes.get(sid, ())) for sid, a in items.items()})
    )


def rehearsal(tmp_path: Path) -> tuple[Programme, Notes, Path]:
    """The bundled 2012 programme and the rehearsal's notes, as loaded back from a notes folder."""
    from facilitator.bundled import default_programme

    programme = load_programme(default_programme())
    folder = tmp_path / "rehearsal-2012"
    NotesFolder(folder, programme.id).save(rehearsal_notes(programme))
    return programme, load_notes(folder), folder
