"""The bundled programmes load into exactly what their sources say.

The 2012 programme is checked against the programme circulated for 22 May 2012
(`seed/parallel-programme-2012-05-22.txt` beside DESIGN.md, outside this
repository). Its questions and paragraphs are copied below word for word, so
the test runs anywhere; a change to a question in the TOML file fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from facilitator import bundled
from facilitator.programme import (
    KINDS,
    Exercise,
    Person,
    Programme,
    ProgrammeError,
    Prompt,
    load_programme,
    parse_programme,
)
from facilitator.schedule import plan

# ------------------------------------------------ the seed, word for word

COORDINATION_QUESTIONS = [
    "What are the main challenges encountered in ensuring a coordinated approach to the "
    "implementation of national plans?",
    "Are the efforts of all relevant actors contributing to / being carried out in the context of a national plan?",
    "How can coordination be improved?",
    "How can international and non-governmental organizations strengthen national ownership and "
    "further contribute to the fulfilment of national objectives?",
    "What can be done to ensure that landmine survivors and other persons with disabilities are "
    "involved in implementation?",
]
MONITORING_QUESTIONS = [
    "What are the main challenges encountered in monitoring the implementation of national plans?",
    "Are all relevant actors involved in monitoring implementation of national plans?",
    "How is implementation measured, in terms of outputs, outcomes and impact?",
]
LOCATION = "Salle B, Ground Floor, WMO Building, 7bis Avenue de la Paix, Geneva"
OPENING_DESCRIPTION = (
    "The programme will be opened by the Co-Chairs of the Standing Committee on Victim Assistance "
    "(Algeria and Croatia) and will feature the participation of the President of the Eleventh "
    "Meeting of the States Parties (11MSP), H.E. Prak Sokhonn of Cambodia."
)
DISCUSSION_DESCRIPTION = (
    "States Parties' experts should come prepared to share their experiences concerning the following questions:"
)

# Background paragraphs, by section title.
BACKGROUND = {
    "Background": [
        "In 2004 at the Convention's First Review Conference, the States Parties adopted the Nairobi "
        "Action Plan. In Action #39 of the Nairobi Action Plan, it was agreed that all States Parties "
        'would "ensure an effective contribution in all relevant deliberations by health, rehabilitation '
        "and social services professionals and officials inter alia by encouraging States Parties – "
        "particularly those with the greatest number of mine victims – and relevant organizations to "
        'include such individuals on their delegations."',
        "Beginning in 2005, the Convention's informal Sponsorship Programme sought to support the "
        "application of Action #39 by sponsoring participation in the Convention's meetings by States "
        "Parties' delegates who fit the profile of \"health, rehabilitation and social services "
        'professionals". As perhaps only 20 percent of meeting time concerns matters pertinent to '
        '"health, rehabilitation and social services professionals," much of their time at these '
        "meetings was not being maximised.",
        "Consequently, the Parallel Programme for Victim Assistance Experts was established. It was held "
        "for the first time at the April 2007 meetings of the Standing Committees. The programme was "
        "established in response to the need to make the best possible use by relevant experts "
        "representing the States Parties reporting responsibility for significant numbers of landmine "
        "survivors participating in the work of the Ban Convention. The idea was initiated by the "
        "Implementation Support Unit with a view to Parallel Programmes being convened by Co-Chairs of "
        "the Standing Committee on Victim Assistance.",
        "The intent of the Parallel Programme was and is to stimulate discussion and increase the "
        "knowledge of States Parties' expert participants on key components of victim assistance and to "
        "build the capacity of these experts. The Parallel Programme for Victim Assistance Experts has "
        "continued at each set of meetings of the Standing Committees and at each formal meeting since "
        "2007 and has provided a productive forum for experts to increase their knowledge on key "
        "components of victim assistance through training and the sharing of experiences.",
    ],
    # In the seed this paragraph is split by the page footer after "topics:".
    "A focus on the implementation of national plans": [
        "The States Parties have agreed in Action #27 of the Cartagena Action Plan (CAP) that a "
        "comprehensive and integrated approach to addressing the rights and needs of victims and "
        "survivors and other persons with disabilities requires a national plan of action to facilitate "
        "coordination and implementation of activities. Most of the States Parties that have reported a "
        "responsibility for significant numbers of survivors have developed a national plan or strategy "
        "on disability and / or a national plan on the rights and needs of survivors in the broader "
        "context of disability. The May 2012 Parallel Programme will focus on implementation of these "
        "plans with two main discussion topics: "
        "coordination in the implementation of national plans, and, monitoring of the implementation of "
        "national plans pursuant to Actions # 24 and # 28 of the CAP.",
    ],
    "Coordination in the Implementation of National Plans": [
        "Action #24 of the Cartagena Action Plan encourages States Parties to establish "
        "inter-ministerial / inter-sectoral coordination mechanisms for the implementation, monitoring "
        "and evaluation of relevant national plans, policies and legal frameworks and to ensure that "
        "this focal entity has the authority and resources to carry out its task.",
        "The purpose of this discussion is to highlight challenges that have been encountered in the "
        "implementation of national plans and to identify ways to overcome these challenges.",
        "Participants are asked to come prepared to address questions such as: Are the efforts of all "
        "relevant actors contributing to / being carried out in the context of a national plan? How can "
        "coordination be improved? How can international and non-governmental organizations strengthen "
        "national ownership and further contribute to the fulfillment of national objectives? What can "
        "States Parties do to be more inclusive in implementation?",
    ],
    "Monitoring the Implementation of National Plans": [
        "Action #28 of the Cartagena Action Plan encourages states to monitor and evaluate progress "
        "regarding victim assistance within broader national policies, plans and legal frameworks and to "
        "do this on an ongoing basis. Furthermore, States have committed to report on the progress made, "
        "including resources allocated to achieving their objectives to address the rights and needs of "
        "mine victims.",
        "The purpose of this discussion is to highlight challenges that have been encountered in "
        "monitoring the implementation of national plans and to identify ways to overcome these "
        "challenges.",
        "Participants are asked to come prepared to address questions such as: Are all relevant actors "
        "involved in monitoring implementation? How is implementation measured, in terms of outputs, "
        "outcomes and impact?",
    ],
}


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(bundled.default_programme())


# -------------------------------------------------------------- metadata


def test_metadata(programme: Programme) -> None:
    assert programme.id == "parallel-programme-2012-05-22"
    assert programme.title == "Parallel Programme for Victim Assistance Experts"
    assert programme.subtitle == (
        "Convention on the Prohibition of the Use, Stockpiling, Production and "
        "Transfer of Anti-Personnel Mines and on Their Destruction"
    )
    assert programme.dates == (dt.date(2012, 5, 22),)
    assert programme.venue == LOCATION
    assert programme.contact == "isu@apminebanconvention.org | www.apminebanconvention.org"
    assert programme.source == bundled.default_programme()


def test_chairs_are_the_co_chairs_of_the_standing_committee(programme: Programme) -> None:
    assert [c.name for c in programme.chairs] == ["Algeria", "Croatia"]
    assert {c.role for c in programme.chairs} == {"Co-Chair of the Standing Committee on Victim Assistance"}


def test_groups_are_26_delegations(programme: Programme) -> None:
    assert len(programme.groups) == 26
    assert len({g.casefold() for g in programme.groups}) == 26
    assert list(programme.groups) == sorted(programme.groups)
    assert {"Afghanistan", "Cambodia", "Croatia", "Colombia", "Yemen"} <= set(programme.groups)


# ---------------------------------------------------------------- agenda


def test_agenda_items_ids_titles_kinds_and_times(programme: Programme) -> None:
    rows = [(s.id, s.title, s.kind, s.start) for s in programme.sessions]
    assert rows == [
        ("opening", "Opening of the Parallel Programme for Victim Assistance Experts", "opening", dt.time(10, 0)),
        ("coordination", "Coordination in the Implementation of National Plans", "discussion", dt.time(10, 15)),
        ("lunch", "Break for lunch and side events", "break", dt.time(13, 0)),
        ("monitoring", "Monitoring the Implementation of National Plans", "discussion", dt.time(15, 0)),
        (
            "monitoring-exercise",
            "Participatory exercise on monitoring the implementation of national plans",
            "exercise",
            None,  # the seed gives it no time: it follows the monitoring discussion
        ),
        ("end", "Parallel Programme ends", "closing", dt.time(18, 0)),
    ]
    assert all(s.date == dt.date(2012, 5, 22) for s in programme.sessions)
    assert all(s.duration is None for s in programme.sessions)  # the seed gives times, not lengths
    assert [s.is_break for s in programme.sessions] == [False, False, True, False, False, False]


def test_opening_location_presenters_and_description(programme: Programme) -> None:
    opening = programme.session("opening")
    assert opening is not None
    assert opening.location == LOCATION
    assert opening.description == OPENING_DESCRIPTION
    assert opening.presenters == (
        Person("Algeria and Croatia", "Co-Chairs of the Standing Committee on Victim Assistance"),
        Person(
            "H.E. Prak Sokhonn of Cambodia",
            "President of the Eleventh Meeting of the States Parties (11MSP)",
        ),
    )
    assert opening.prompts == ()
    assert opening.exercise is None


@pytest.mark.parametrize(("session_id", "presenter"), [("coordination", "ICBL"), ("monitoring", "ICRC")])
def test_scene_setting_presentations(programme: Programme, session_id: str, presenter: str) -> None:
    session = programme.session(session_id)
    assert session is not None
    assert session.presenters == (Person(presenter, "Scene-setting presentation"),)
    assert str(session.presenters[0]) == f"Scene-setting presentation: {presenter}"
    assert session.description == DISCUSSION_DESCRIPTION


def test_coordination_questions_word_for_word(programme: Programme) -> None:
    session = programme.session("coordination")
    assert session is not None
    assert [p.text for p in session.prompts] == COORDINATION_QUESTIONS
    assert [p.id for p in session.prompts] == [
        "challenges",
        "national-plan-context",
        "improve-coordination",
        "national-ownership",
        "survivor-involvement",
    ]


def test_monitoring_questions_word_for_word(programme: Programme) -> None:
    session = programme.session("monitoring")
    assert session is not None
    assert [p.text for p in session.prompts] == MONITORING_QUESTIONS
    assert [p.id for p in session.prompts] == ["monitoring-challenges", "actors-involved", "measurement"]


def test_purposes_are_the_seeds_purpose_of_each_discussion(programme: Programme) -> None:
    coordination, monitoring = programme.session("coordination"), programme.session("monitoring")
    assert coordination is not None and monitoring is not None
    assert coordination.purpose == (
        "To highlight challenges that have been encountered in the implementation of national plans "
        "and to identify ways to overcome these challenges."
    )
    assert monitoring.purpose == (
        "To highlight challenges that have been encountered in monitoring the implementation of national "
        "plans and to identify ways to overcome these challenges."
    )


def test_references_to_the_cartagena_action_plan(programme: Programme) -> None:
    refs = {s.id: s.references for s in programme.sessions if s.references}
    assert refs == {
        "coordination": ("Cartagena Action Plan, Action #24", "Cartagena Action Plan, Action #27"),
        "monitoring": ("Cartagena Action Plan, Action #28", "Cartagena Action Plan, Action #27"),
        "monitoring-exercise": ("Cartagena Action Plan, Action #28",),
    }


def test_exercise_sorts_indicators_into_output_outcome_impact(programme: Programme) -> None:
    exercise = programme.session("monitoring-exercise")
    assert exercise is not None
    assert exercise.exercise is not None
    assert exercise.exercise.categories == ("Output", "Outcome", "Impact")
    for category in exercise.exercise.categories:
        assert f"- {category}:" in exercise.exercise.instructions
    assert [p.id for p in exercise.prompts] == ["indicators"]
    # Only the exercise carries an Exercise.
    assert [s.id for s in programme.sessions if s.exercise] == ["monitoring-exercise"]


def test_background_sections_hold_the_seeds_paragraphs(programme: Programme) -> None:
    assert [section.title for section in programme.background] == list(BACKGROUND)
    for section in programme.background:
        paragraphs = [p.strip() for p in section.text.split("\n\n")]
        assert paragraphs == BACKGROUND[section.title], section.title
    everything = " ".join(section.text for section in programme.background)
    assert "Nairobi Action Plan" in everything
    assert "Action #27" in everything


# ------------------------------------------------------- the model's API


def test_lookups_by_id(programme: Programme) -> None:
    assert programme.index("lunch") == 2
    with pytest.raises(ValueError):
        programme.index("no-such-item")
    assert programme.session("no-such-item") is None
    monitoring = programme.session("monitoring")
    assert monitoring is not None
    assert monitoring.prompt("measurement") == Prompt("measurement", MONITORING_QUESTIONS[2])
    assert monitoring.prompt("challenges") is None  # that one belongs to coordination


def test_programme_is_immutable(programme: Programme) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        programme.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        programme.sessions[0].title = "changed"  # type: ignore[misc]
    assert isinstance(programme.sessions, tuple)
    assert isinstance(programme.sessions[1].prompts, tuple)


def test_loading_twice_gives_equal_programmes(programme: Programme) -> None:
    assert load_programme(bundled.default_programme()) == programme


def test_every_kind_is_known(programme: Programme) -> None:
    assert {s.kind for s in programme.sessions} == set(KINDS)


# ------------------------------------------------------ bundled programmes


def test_bundled_files_are_both_programmes_and_found_by_id() -> None:
    files = bundled.programme_files()
    assert [f.name for f in files] == [
        "parallel-programme-2012-05-22.toml",
        "small-group-workshop-half-day.toml",
        "two-day-expert-meeting.toml",
    ]
    for path in files:
        programme = load_programme(path)
        # `facilitator run ID` finds a file by its name, and the notes folder is
        # named after the id inside it: the two must agree.
        assert path.stem == programme.id
        assert bundled.find(programme.id) == path
        assert bundled.find(path.name) == path
    assert bundled.find("no-such-programme") is None
    assert bundled.default_programme() in files


# ------------------------------------------------- the half-day template


@pytest.fixture(scope="module")
def workshop() -> Programme:
    path = bundled.find("small-group-workshop-half-day")
    assert path is not None
    return load_programme(path)


def test_template_items_follow_each_other_by_duration(workshop: Programme) -> None:
    assert workshop.dates == (dt.date(2026, 3, 10),)
    assert workshop.groups == ()  # groups are named as they report
    assert workshop.sessions[0].start == dt.time(9, 0)
    assert all(s.start is None and s.duration for s in workshop.sessions[1:])
    starts = [f"{slot.planned_start:%H:%M}" for slot in plan(workshop)]
    assert starts == ["09:00", "09:15", "09:35", "10:20", "10:40", "11:20", "12:00", "12:15"]
    assert f"{plan(workshop)[-1].planned_end:%H:%M}" == "12:30"


def test_template_prioritisation_exercise(workshop: Programme) -> None:
    exercises = [s for s in workshop.sessions if s.exercise]
    assert [s.id for s in exercises] == ["prioritise"]
    exercise = exercises[0].exercise
    assert exercise == Exercise(("Quick win", "Long term", "Needs funding", "Needs legislation"), exercise.instructions)
    for category in exercise.categories:
        assert f"- {category}:" in exercise.instructions
    assert sum(len(s.prompts) for s in workshop.sessions) == 8
    assert {s.kind for s in workshop.sessions} == set(KINDS)


# ---------------------------------------------------------- other inputs

TWO_DAYS = """\
schema = 1
id = "two-day-review"
title = "Two-day review"
dates = [2030-03-10, "2030-03-11"]   # TOML dates and "YYYY-MM-DD" strings both work

[[sessions]]
id = "open"
start = 09:30:00                     # a TOML time works too
title = "Opening"
kind = "opening"

[[sessions]]
id = "day-one-talk"
duration = 60
title = "Day one discussion"
kind = "discussion"
prompts = [{ id = "q", text = "What happened?" }]

[[sessions]]
id = "day-two-start"
date = "2030-03-11"
start = "09:00"                      # earlier than day one's last start: a new day
title = "Day two"
kind = "discussion"
prompts = [{ id = "q", text = "What next?" }]   # prompt ids are per item

[[sessions]]
id = "close"
start = "12:00"
title = "Close"
kind = "closing"
"""


def test_two_day_programme(tmp_path: Path) -> None:
    path = tmp_path / "two-day-review.toml"
    path.write_text(TWO_DAYS, encoding="utf-8")
    programme = load_programme(path)
    assert programme.dates == (dt.date(2030, 3, 10), dt.date(2030, 3, 11))
    assert [(s.id, s.date.day, s.start) for s in programme.sessions] == [
        ("open", 10, dt.time(9, 30)),
        ("day-one-talk", 10, None),
        ("day-two-start", 11, dt.time(9, 0)),
        ("close", 11, dt.time(12, 0)),  # an item without `date` stays on the previous item's day
    ]
    assert programme.sessions[1].duration == 60
    # Each day is planned on its own: day two starts at its own 09:00.
    slots = plan(programme)
    assert [(s.day, f"{s.planned_start:%d %H:%M}", f"{s.planned_end:%H:%M}") for s in slots] == [
        (0, "10 09:30", "09:30"),
        (0, "10 09:30", "10:30"),
        (1, "11 09:00", "12:00"),
        (1, "11 12:00", "12:00"),
    ]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TWO_DAYS.encode("utf-8"))
    assert load_programme(path).id == "two-day-review"


def test_parse_programme_without_a_file() -> None:
    data = {
        "schema": 1,
        "id": "inline",
        "title": "  Inline  ",
        "date": dt.date(2030, 1, 1),
        "sessions": [{"id": "only", "start": dt.time(9, 0), "title": "Only item", "kind": "discussion"}],
    }
    programme = parse_programme(data)
    assert programme.source is None
    assert programme.title == "Inline"  # text is stripped
    with pytest.raises(ProgrammeError) as caught:
        parse_programme({**data, "schema": 2})
    assert [str(p) for p in caught.value.problems] == [
        "<programme>: schema: is 2; this version of facilitator reads schema 1"
    ]
