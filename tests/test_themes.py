"""Themes, votes, stars, the exercise's categories and search: pure operations, saving, undo."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from facilitator import notes as ops
from facilitator import themes as th
from facilitator.meeting import Meeting
from facilitator.notes import ItemNotes, NotesError, Theme, empty_notes
from facilitator.store import NotesFolder, load_notes, render_item

NOW = dt.datetime(2012, 5, 22, 10, 30)
CATEGORIES = ("Output", "Outcome", "Impact")


def check(item: ItemNotes) -> None:
    """The rules every item keeps: themes name only its answers, each answer in one theme at most."""
    ids = {a.id for a in item.answers}
    themed = [i for t in item.themes for i in t.answer_ids]
    assert set(themed) <= ids
    assert len(themed) == len(set(themed))
    assert len({t.id for t in item.themes}) == len(item.themes)
    assert len({t.name.casefold() for t in item.themes}) == len(item.themes)


class Day:
    """Notes of a small day: coordination answers from four delegations, an exercise, ids a1, a2…"""

    def __init__(self) -> None:
        counter = itertools.count(1)
        self.make_id = lambda: f"a{next(counter)}"
        self.theme_ids = (f"t{i}" for i in itertools.count(1))
        self.notes = empty_notes("parallel-programme-2012-05-22")

    def add(self, session_id: str, prompt_id: str, group: str, text: str, category: str = "") -> str:
        self.notes, answer = ops.add_answer(
            self.notes, session_id, prompt_id, group, text, NOW, category=category, make_id=self.make_id
        )
        return answer.id

    def theme(self, name: str, *answer_ids: str, session_id: str = "coordination") -> Theme:
        self.notes, theme = th.create_theme(
            self.notes, session_id, name, answer_ids, make_id=lambda: next(self.theme_ids)
        )
        return theme

    @property
    def item(self) -> ItemNotes:
        return self.notes.item("coordination")


@pytest.fixture
def day() -> Day:
    d = Day()
    d.add("coordination", "challenges", "Cambodia", "No single focal point for disability")  # a1
    d.add("coordination", "challenges", "Peru", "Budgets do not follow the national plan")  # a2
    d.add("coordination", "challenges", "Côte d'Ivoire", "Ministries do not share data")  # a3
    d.add("coordination", "improve-coordination", "Uganda", "A coordination committee that meets monthly")  # a4
    d.add("coordination", "improve-coordination", "Peru", "Joint budget line for victim assistance")  # a5
    d.add("monitoring", "measurement", "Cambodia", "Surveys of survivors every two years")  # a6
    return d


def themes_of(item: ItemNotes) -> dict[str, tuple[str, ...]]:
    return {t.name: t.answer_ids for t in item.themes}


# ------------------------------------------------------------------ creating themes


def test_create_theme_cleans_the_name_and_keeps_the_answers_in_order(day):
    theme = day.theme("  Funding \n and budgets ", "a5", "a2", "a5")
    assert theme == Theme("t1", "Funding and budgets", ("a5", "a2"), 0)
    assert day.item.themes == (theme,)
    assert th.unthemed(day.item) == [day.item.answer(i) for i in ("a1", "a3", "a4")]
    check(day.item)


def test_a_new_theme_gets_a_t_id_by_default(day):
    notes, theme = th.create_theme(day.notes, "coordination", "Data", ["a3"])
    assert theme.id.startswith("t-") and notes.item("coordination").themes == (theme,)


@pytest.mark.parametrize(
    ("name", "answer_ids", "message"),
    [
        ("", ["a1"], "needs a name"),
        (" \n\t ", ["a1"], "needs a name"),
        ("x" * 201, ["a1"], "at most 200"),
        ("Data", ["a1", "no-such"], "no answer with id no-such"),
        ("Data", ["a6"], "no answer with id a6"),  # an answer of another agenda item
    ],
)
def test_create_theme_refuses_bad_input(day, name, answer_ids, message):
    with pytest.raises(NotesError, match=message):
        th.create_theme(day.notes, "coordination", name, answer_ids)


def test_a_name_of_200_characters_is_fine_and_an_empty_theme_can_be_created(day):
    day.theme("y" * 200)
    assert day.item.themes[0].answer_ids == ()


def test_creating_a_theme_with_an_existing_name_adds_to_it(day):
    funding = day.theme("Funding", "a2")
    day.notes = th.vote_theme(day.notes, "coordination", funding.id, 2)
    again = day.theme("  FUNDING ", "a5")
    assert again == Theme(funding.id, "Funding", ("a2", "a5"), 2)
    assert day.item.themes == (again,)


def test_creating_a_theme_takes_its_answers_out_of_other_themes(day):
    day.theme("Funding", "a2", "a5")
    day.theme("Budgets", "a5")
    assert themes_of(day.item) == {"Funding": ("a2",), "Budgets": ("a5",)}
    check(day.item)


def test_theme_operations_refuse_an_unknown_theme(day):
    for change in (
        lambda n: th.add_to_theme(n, "coordination", "t9", ["a1"]),
        lambda n: th.rename_theme(n, "coordination", "t9", "X"),
        lambda n: th.merge_themes(n, "coordination", "t9", "t8"),
        lambda n: th.delete_theme(n, "coordination", "t9"),
        lambda n: th.vote_theme(n, "coordination", "t9", 1),
    ):
        with pytest.raises(NotesError, match="no theme with id t9"):
            change(day.notes)


# ------------------------------------------------------------------ moving answers


def test_add_to_theme_appends_and_moves_answers_between_themes(day):
    funding = day.theme("Funding", "a2")
    data = day.theme("Data", "a3", "a5")
    notes = th.add_to_theme(day.notes, "coordination", funding.id, ["a5", "a2", "a1"])
    item = notes.item("coordination")
    assert themes_of(item) == {"Funding": ("a2", "a5", "a1"), "Data": ("a3",)}
    check(item)
    assert th.add_to_theme(notes, "coordination", funding.id, ["a1"]) is notes  # already there: no change
    with pytest.raises(NotesError, match="no answer with id a6"):
        th.add_to_theme(notes, "coordination", data.id, ["a6"])


def test_moving_the_last_answer_out_keeps_the_theme_empty(day):
    day.theme("Funding", "a2")
    data = day.theme("Data", "a3")
    notes = th.add_to_theme(day.notes, "coordination", data.id, "a2")  # one id, not a list: still one answer
    assert themes_of(notes.item("coordination")) == {"Funding": (), "Data": ("a3", "a2")}


def test_remove_from_theme(day):
    day.theme("Funding", "a2", "a5")
    notes = th.remove_from_theme(day.notes, "coordination", "a2")
    assert themes_of(notes.item("coordination")) == {"Funding": ("a5",)}
    assert th.remove_from_theme(notes, "coordination", "a2") is notes  # in no theme: nothing to do
    with pytest.raises(NotesError):
        th.remove_from_theme(notes, "coordination", "a6")


# ------------------------------------------------------------------ rename, merge, delete


def test_rename_theme(day):
    funding = day.theme("Funding", "a2")
    day.theme("Data", "a3")
    notes = th.rename_theme(day.notes, "coordination", funding.id, " Budgets\nand funding ")
    assert themes_of(notes.item("coordination")) == {"Budgets and funding": ("a2",), "Data": ("a3",)}
    assert th.rename_theme(notes, "coordination", funding.id, "Budgets and funding") is notes
    notes = th.rename_theme(notes, "coordination", funding.id, "BUDGETS AND FUNDING")  # its own name, recased
    assert notes.item("coordination").themes[0].name == "BUDGETS AND FUNDING"
    with pytest.raises(NotesError, match="already has a theme 'Data': merge"):
        th.rename_theme(notes, "coordination", funding.id, "data")
    with pytest.raises(NotesError, match="needs a name"):
        th.rename_theme(notes, "coordination", funding.id, "  ")


def test_merge_themes_keeps_order_sums_votes_and_drops_the_merged_theme(day):
    funding = day.theme("Funding", "a2", "a5")
    day.theme("Data", "a3")
    budgets = day.theme("Budgets", "a1", "a4")
    day.notes = th.vote_theme(day.notes, "coordination", funding.id, 3)
    day.notes = th.vote_theme(day.notes, "coordination", budgets.id, 2)
    notes = th.merge_themes(day.notes, "coordination", funding.id, budgets.id)
    item = notes.item("coordination")
    assert item.themes == (Theme(funding.id, "Funding", ("a2", "a5", "a1", "a4"), 5), day.item.themes[1])
    check(item)
    with pytest.raises(NotesError, match="two different themes"):
        th.merge_themes(notes, "coordination", funding.id, funding.id)


def test_delete_theme_keeps_its_answers_unthemed(day):
    funding = day.theme("Funding", "a2", "a5")
    notes = th.delete_theme(day.notes, "coordination", funding.id)
    item = notes.item("coordination")
    assert item.themes == () and len(item.answers) == 5
    assert [a.id for a in th.unthemed(item)] == ["a1", "a2", "a3", "a4", "a5"]


def test_deleting_an_answer_removes_it_from_its_theme_also_after_merge_and_move(day):
    funding = day.theme("Funding", "a2", "a5")
    data = day.theme("Data", "a3")
    day.notes = th.add_to_theme(day.notes, "coordination", data.id, ["a5"])
    day.notes = th.merge_themes(day.notes, "coordination", data.id, funding.id)
    notes = ops.delete_answer(day.notes, "a5")
    item = notes.item("coordination")
    assert themes_of(item) == {"Data": ("a3", "a2")}
    check(item)
    notes = ops.delete_answer(ops.delete_answer(notes, "a3"), "a2")
    assert themes_of(notes.item("coordination")) == {"Data": ()}


# ------------------------------------------------------------------ votes and stars


def test_answer_votes_never_go_below_zero(day):
    notes = th.vote_answer(day.notes, "a1", 3)
    assert notes.item("coordination").answer("a1").votes == 3
    notes = th.vote_answer(notes, "a1", -5)
    assert notes.item("coordination").answer("a1").votes == 0
    assert th.vote_answer(notes, "a1", -1) is notes
    assert th.vote_answer(notes, "a6").find("a6")[1].votes == 1  # any item of the day
    with pytest.raises(NotesError, match="no answer"):
        th.vote_answer(notes, "nope", 1)
    with pytest.raises(NotesError, match="whole number"):
        th.vote_answer(notes, "a1", True)


def test_theme_votes_never_go_below_zero(day):
    funding = day.theme("Funding", "a2")
    notes = th.vote_theme(day.notes, "coordination", funding.id)
    notes = th.vote_theme(notes, "coordination", funding.id, 1)
    assert notes.item("coordination").themes[0].votes == 2
    notes = th.vote_theme(notes, "coordination", funding.id, -3)
    assert notes.item("coordination").themes[0].votes == 0
    assert th.vote_theme(notes, "coordination", funding.id, -1) is notes


def test_star_toggles_or_sets(day):
    notes = th.star_answer(day.notes, "a1")
    assert notes.find("a1")[1].starred is True
    assert th.star_answer(notes, "a1", True) is notes
    notes = th.star_answer(notes, "a1")
    assert notes.find("a1")[1].starred is False
    assert th.star_answer(notes, "a1", False) is notes


# ------------------------------------------------------------------ classification


def test_classify_uses_the_canonical_spelling_and_can_unclassify(day):
    card = day.add("monitoring-exercise", "indicators", "Peru", "Number of prosthetic devices fitted")
    notes = th.classify(day.notes, card, " output ", CATEGORIES)
    assert notes.find(card)[1].category == "Output"
    assert th.classify(notes, card, "OUTPUT", CATEGORIES) is notes
    notes = th.classify(notes, card, "", CATEGORIES)
    assert notes.find(card)[1].category == ""


def test_classify_refuses_a_category_the_exercise_does_not_have(day):
    card = day.add("monitoring-exercise", "indicators", "Peru", "Devices fitted")
    with pytest.raises(NotesError, match="'Result' is not a category of this exercise: choose Output, Outcome, Impact"):
        th.classify(day.notes, card, "Result", CATEGORIES)
    with pytest.raises(NotesError, match="not an exercise"):
        th.classify(day.notes, "a1", "Output", ())
    with pytest.raises(NotesError, match="no answer"):
        th.classify(day.notes, "nope", "Output", CATEGORIES)


def exercise(day: Day) -> ItemNotes:
    for group, text, category in [
        ("Peru", "Devices fitted", "Output"),
        ("Peru", "Survivors in paid work", "Outcome"),
        ("Cambodia", "People trained", "Output"),
        ("Peru", "Better quality of life", "Impact"),
        ("Cambodia", "Clinics opened", ""),
        ("Uganda", "Hand-edited card", "output"),  # as a person might type it in the file
        ("Uganda", "From an older programme", "Process"),
    ]:
        day.add("monitoring-exercise", "indicators", group, text, category)
    return day.notes.item("monitoring-exercise")


def test_per_group_categories_counts_every_group_with_totals(day):
    table = th.per_group_categories(exercise(day), CATEGORIES)
    assert list(table) == ["Peru", "Cambodia", "Uganda", None]
    assert table["Peru"] == {"Output": 1, "Outcome": 1, "Impact": 1, "Process": 0, "": 0, None: 3}
    assert table["Cambodia"] == {"Output": 1, "Outcome": 0, "Impact": 0, "Process": 0, "": 1, None: 2}
    assert table["Uganda"] == {"Output": 1, "Outcome": 0, "Impact": 0, "Process": 1, "": 0, None: 2}
    assert table[None] == {"Output": 3, "Outcome": 1, "Impact": 1, "Process": 1, "": 1, None: 7}
    assert th.per_group_categories(ItemNotes("monitoring-exercise"), CATEGORIES) == {
        None: {"Output": 0, "Outcome": 0, "Impact": 0, "": 0, None: 0}
    }


def test_the_board_has_a_column_per_category_then_not_yet_classified(day):
    board = th.answers_by_category(exercise(day), CATEGORIES)
    assert [(column, [a.text for a in cards]) for column, cards in board] == [
        ("Output", ["Devices fitted", "People trained", "Hand-edited card"]),
        ("Outcome", ["Survivors in paid work"]),
        ("Impact", ["Better quality of life"]),
        ("Process", ["From an older programme"]),
        ("", ["Clinics opened"]),
    ]


# ------------------------------------------------------------------ views, filter, search


def test_answers_by_theme_lists_themes_then_the_unthemed(day):
    funding = day.theme("Funding", "a5", "a2")
    empty = day.theme("Later")
    view = th.answers_by_theme(day.item)
    assert [(t and t.name, [a.id for a in answers]) for t, answers in view] == [
        ("Funding", ["a5", "a2"]),
        ("Later", []),
        (None, ["a1", "a3", "a4"]),
    ]
    view = th.answers_by_theme(day.item, "challenges")
    assert [(t, [a.id for a in answers]) for t, answers in view] == [
        (funding, ["a2"]),
        (empty, []),
        (None, ["a1", "a3"]),
    ]
    view = th.answers_by_theme(th.delete_theme(day.notes, "coordination", funding.id).item("coordination"), "x")
    assert view == [(empty, []), (None, [])]


def test_sort_by_votes_is_stable(day):
    for answer_id, votes in [("a1", 1), ("a3", 4), ("a4", 1)]:
        day.notes = th.vote_answer(day.notes, answer_id, votes)
    assert [a.id for a in th.sort_by_votes(day.item.answers)] == ["a3", "a1", "a4", "a2", "a5"]
    funding, data = day.theme("Funding"), day.theme("Data")
    day.notes = th.vote_theme(day.notes, "coordination", data.id, 2)
    assert [t.name for t in th.sort_by_votes(day.item.themes)] == ["Data", "Funding"]
    assert funding.votes == 0


def test_theme_name_suggestions(day):
    day.theme("Funding", "a2")
    day.theme("Coordination bodies", "a4")
    day.theme("Réseau de données", "a1")
    day.theme("Funding gaps", "a6", session_id="monitoring")
    day.theme("funding", session_id="monitoring-exercise")  # the same name as this item's: offered once
    suggest = lambda prefix: th.theme_names_suggestions(day.notes, "coordination", prefix)  # noqa: E731
    assert suggest("") == ["Funding", "Coordination bodies", "Réseau de données", "Funding gaps"]
    assert suggest("fun") == ["Funding", "Funding gaps"]
    assert suggest("reseau") == ["Réseau de données"]
    assert suggest("DONNEES") == ["Réseau de données"]  # contains, ignoring case and accents
    assert suggest("gaps") == ["Funding gaps"]
    assert suggest("xyz") == []


def test_filter_matches_text_group_and_theme_ignoring_case_and_accents(day):
    day.theme("Money", "a2")
    answers, by_theme = day.item.answers, th.themes_by_answer(day.item)
    ids = lambda text: [a.id for a in th.filter_answers(answers, text, by_theme)]  # noqa: E731
    assert ids("cote") == ["a3"]
    assert ids("CÔTE") == ["a3"]
    assert ids("Côte d'Ivoire") == ["a3"]
    assert ids("peru") == ["a2", "a5"]
    assert ids("budget") == ["a2", "a5"]
    assert ids("money") == ["a2"]
    assert ids("peru joint") == ["a5"]  # every word, anywhere in text, group or theme
    assert ids("") == ["a1", "a2", "a3", "a4", "a5"]
    assert [a.id for a in th.filter_answers(answers, "money")] == []  # no themes given: names not searched
    cote = ops.add_answer(day.notes, "coordination", "challenges", "Chad", "La Côte est loin", NOW)[1]
    assert th.filter_answers([cote], "cote est") == [cote]


def test_search_day_finds_answers_anywhere_in_agenda_order(day, programme_2012):
    day.add("monitoring-exercise", "indicators", "Cambodia", "Survivors surveyed on quality of life")
    day.notes, early = ops.add_answer(day.notes, "opening", "", "Chair", "Welcome; survivors first", NOW)
    found = th.search_day(day.notes, programme_2012, "SURVIVOR")
    assert [(sid, pid, a.id) for sid, pid, a in found] == [
        ("opening", "", early.id),
        ("monitoring", "measurement", "a6"),
        ("monitoring-exercise", "indicators", "a7"),
    ]
    assert len(th.search_day(day.notes, programme_2012, "survivors", limit=2)) == 2
    assert th.search_day(day.notes, programme_2012, "  ") == []
    day.theme("Data sharing", "a3")
    assert [a.id for _, _, a in th.search_day(day.notes, programme_2012, "sharing")] == ["a3"]


# ------------------------------------------------------------------ saved and reloaded


def test_themes_votes_stars_and_categories_are_saved_and_reloaded(day, tmp_path):
    funding = day.theme("Funding", "a5", "a2")
    data = day.theme("Données", "a3", "a1")
    day.theme("Later")
    day.notes = th.merge_themes(day.notes, "coordination", funding.id, data.id)
    day.theme("Data", "a1")
    day.notes = th.vote_theme(day.notes, "coordination", funding.id, 4)
    day.notes = th.vote_answer(day.notes, "a4", 2)
    day.notes = th.star_answer(day.notes, "a5")
    day.notes = ops.delete_answer(day.notes, "a3")
    exercise(day)
    day.notes = th.classify(day.notes, "a11", "impact", CATEGORIES)
    folder = NotesFolder(tmp_path, day.notes.programme_id)
    folder.save(day.notes)

    loaded = load_notes(tmp_path, day.notes.programme_id)
    assert set(loaded.items) == set(day.notes.items)
    for session_id, item in day.notes.items.items():
        again = loaded.item(session_id)
        assert again.themes == item.themes
        assert {a.id: a for a in again.answers} == {a.id: a for a in item.answers}
    item = loaded.item("coordination")
    assert themes_of(item) == {"Funding": ("a5", "a2"), "Later": (), "Data": ("a1",)}
    assert item.themes[0].votes == 4
    assert item.answer("a4").votes == 2 and item.answer("a5").starred
    assert loaded.find("a11")[1].category == "Impact"
    for session_id, item in loaded.items.items():  # saving what was read writes the same bytes
        assert render_item(loaded.programme_id, item) == (tmp_path / f"{session_id}.toml").read_text("utf-8")


# ------------------------------------------------------------------ the meeting: every change undoable


@pytest.fixture
def meeting(programme_2012, clock) -> Meeting:
    m = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    m.go_to("coordination")
    return m


def test_meeting_theme_operations_undo_one_by_one(meeting):
    a, b, c = (meeting.capture(g, t).id for g, t in [("Chad", "Mapping"), ("Peru", "Money"), ("Iraq", "More money")])
    made: dict[str, Theme] = {}
    steps = [
        ("put 1 answer in theme “Money”", lambda: made.setdefault("money", meeting.create_theme("Money", [b]))),
        ("added 1 answer to theme “Money”", lambda: meeting.add_to_theme(made["money"].id, [c])),
        ("put 1 answer in theme “Maps”", lambda: made.setdefault("maps", meeting.create_theme("Maps", [a]))),
        ("renamed theme “Money” to “Funding”", lambda: meeting.rename_theme(made["money"].id, "Funding")),
        ("took Iraq's answer out of its theme", lambda: meeting.remove_from_theme(c)),
        ("merged theme “Maps” into “Funding”", lambda: meeting.merge_themes(made["money"].id, made["maps"].id)),
        ("+2 votes on theme “Funding” (now 2)", lambda: meeting.vote(made["money"].id, 2)),
        ("+1 vote on Chad's answer (now 1)", lambda: meeting.vote(a, 1)),
        ("−1 vote on Chad's answer (now 0)", lambda: meeting.vote(a, -1)),
        ("starred Peru's answer", lambda: meeting.star(b)),
        ("took the star off Peru's answer", lambda: meeting.star(b)),
        ("deleted theme “Funding”", lambda: meeting.delete_theme(made["money"].id)),
    ]
    before: list[dict[str, ItemNotes]] = []
    for _, action in steps:
        before.append(dict(meeting.notes.items))
        action()
        assert dict(meeting.notes.items) != before[-1]
    for (description, _), items in zip(reversed(steps), reversed(before), strict=True):
        assert meeting.undo() == description
        assert dict(meeting.notes.items) == items
    assert meeting.item.themes == () and [x.id for x in meeting.item.answers] == [a, b, c]


def test_meeting_votes_on_a_theme_or_an_answer(meeting):
    answer = meeting.capture("Chad", "Mapping")
    theme = meeting.create_theme("Maps", [answer.id])
    meeting.vote(theme.id)
    meeting.vote(answer.id, 3)
    assert meeting.item.themes[0].votes == 1 and meeting.item.answer(answer.id).votes == 3


def test_meeting_changes_that_change_nothing_are_not_undone(meeting):
    answer = meeting.capture("Chad", "Mapping")
    theme = meeting.create_theme("Maps", [answer.id])
    depth = len(meeting._undo)
    meeting.vote(answer.id, -1)  # already 0
    meeting.star(answer.id, False)
    meeting.add_to_theme(theme.id, [answer.id])
    meeting.rename_theme(theme.id, "Maps")
    meeting.create_theme("maps", [answer.id])
    with pytest.raises(NotesError):
        meeting.create_theme("", [answer.id])
    assert len(meeting._undo) == depth


def test_meeting_classifies_with_the_exercise_categories(meeting):
    plain = meeting.capture("Chad", "Mapping")
    meeting.go_to("monitoring-exercise")
    card = meeting.capture("Peru", "Devices fitted")
    meeting.classify(card.id, "outcome")
    assert meeting.item.answer(card.id).category == "Outcome"
    before = meeting.notes
    with pytest.raises(NotesError, match="not a category"):
        meeting.classify(card.id, "Result")
    with pytest.raises(NotesError, match="not an exercise"):
        meeting.classify(plain.id, "Output")
    assert meeting.notes is before
    assert meeting.undo() == "filed Peru's card as Outcome"
    assert meeting.item.answer(card.id).category == ""


def test_meeting_captures_a_card_into_a_column(meeting):
    meeting.go_to("monitoring-exercise")
    card = meeting.capture_card("Peru", "People trained", "impact")
    assert (card.category, card.prompt_id) == ("Impact", "indicators")
    assert meeting.capture_card("Peru", "Clinics opened").category == ""
    with pytest.raises(NotesError):
        meeting.capture_card("Peru", "x", "Result")
    assert meeting.undo().startswith("capture")
    assert [a.text for a in meeting.item.answers] == ["People trained"]


def test_theme_ids_follow_the_deterministic_ids_of_tests(sequential_ids, meeting):
    answer = meeting.capture("Chad", "Mapping")
    assert (answer.id, meeting.create_theme("Maps", [answer.id]).id) == ("a-0001", "t-0002")
