"""Every way a programme file can be wrong gives a clear problem: message, key path, line.

Each test starts from a small valid programme (`BASE`), breaks one thing, and
checks the problem names the right key path and the line where the mistake is
(found in the text with `line_of`, so the tests do not hard-code line numbers).
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.cli import main
from facilitator.problems import Problem, locate_line
from facilitator.programme import MAX_FILE_BYTES, Programme, ProgrammeError, load_programme, parse_programme

BASE = """\
schema = 1
id = "demo"
title = "Demo meeting"
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

[[sessions.prompts]]
id = "q1"
text = "What works?"

[[sessions]]
id = "wrap-up"
start = "11:00"
title = "Wrap-up"
kind = "closing"
"""


def write(tmp_path: Path, text: str, name: str = "programme.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(old: str, new: str, text: str = BASE) -> str:
    """BASE with one unique fragment replaced."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(ProgrammeError) as caught:
        load_programme(write(tmp_path, text))
    assert caught.value.problems, "a ProgrammeError always lists its problems"
    return caught.value.problems


def only_problem(tmp_path: Path, text: str) -> Problem:
    found = problems(tmp_path, text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def line_of(text: str, fragment: str, occurrence: int = 0) -> int:
    """1-based line of the `occurrence`-th line containing `fragment`."""
    lines = [i for i, line in enumerate(text.splitlines(), 1) if fragment in line]
    return lines[occurrence]


def test_base_is_valid(tmp_path: Path) -> None:
    programme = load_programme(write(tmp_path, BASE))
    assert [s.id for s in programme.sessions] == ["opening", "talk", "wrap-up"]


# ------------------------------------------------------------- TOML syntax


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    text = edit('kind = "discussion"', "kind = discussion")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "kind = discussion")
    assert problem.path == ""
    assert problem.message.startswith("TOML syntax: ")
    assert "(column 8)" in problem.message
    path = tmp_path / "programme.toml"
    assert str(problem) == f"{path}:{problem.line}: {problem.message}"


def test_unclosed_string_is_a_syntax_error_on_its_line(tmp_path: Path) -> None:
    text = edit('title = "Talk"', 'title = "Talk')
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, 'title = "Talk')
    assert problem.message.startswith("TOML syntax: ")


def test_unterminated_string_at_the_end_names_the_last_line(tmp_path: Path) -> None:
    text = BASE + 'description = """never closed\nstill going\n'
    problem = only_problem(tmp_path, text)
    assert problem.message == "TOML syntax: Unterminated string at the end of the file"
    assert problem.line == len(text.splitlines())


# -------------------------------------------------------- fields and types


def test_missing_field(tmp_path: Path) -> None:
    text = edit('title = "Wrap-up"\n', "")
    problem = only_problem(tmp_path, text)
    assert (problem.path, problem.message) == ("sessions[2].title", "is missing")
    # No `title =` line to point at: the item's own [[sessions]] header.
    assert problem.line == line_of(text, "[[sessions]]", 2)


def test_wrongly_typed_field(tmp_path: Path) -> None:
    text = edit('start = "11:00"', "start = 1100")
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[2].start"
    assert problem.message == 'must be a time like "10:15", not the number 1100'
    assert problem.line == line_of(text, "start = 1100")


def test_boolean_is_not_a_number(tmp_path: Path) -> None:
    text = edit('title = "Talk"', 'title = "Talk"\nduration = true')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].duration"
    assert problem.message == "must be a whole number, not the boolean true"
    assert problem.line == line_of(text, "duration = true")


def test_duration_out_of_range(tmp_path: Path) -> None:
    text = edit('title = "Talk"', 'title = "Talk"\nduration = 0')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].duration"
    assert problem.message == "must be between 1 and 1440 minutes, not 0"


@pytest.mark.parametrize("value", ['"25:99"', '"9.30"', '"09:30:00"', '"noon"', '"24:00"'])
def test_bad_time(tmp_path: Path, value: str) -> None:
    text = edit('start = "09:30"', f"start = {value}")
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].start"
    assert problem.message == f'must be a time like "10:15", not the string {value}'
    assert problem.line == line_of(text, f"start = {value}")


def test_a_wrong_start_is_not_also_called_missing(tmp_path: Path) -> None:
    # The first item's start is there but wrong: one problem, not "missing" as well,
    # and the items that follow it without a start are not blamed either.
    text = edit('start = "09:00"', 'start = "9h"')
    text = edit('start = "09:30"\n', "", text)
    problem = only_problem(tmp_path, text)
    assert (problem.path, problem.line) == ("sessions[0].start", line_of(text, 'start = "9h"'))


def test_bad_date(tmp_path: Path) -> None:
    text = edit('date = "2030-01-15"', 'date = "15/01/2030"')
    problem = only_problem(tmp_path, text)
    assert (problem.path, problem.line) == ("date", 4)
    assert problem.message == 'must be a date like "2012-05-22", not the string "15/01/2030"'


def test_empty_title(tmp_path: Path) -> None:
    text = edit('title = "Demo meeting"', 'title = "   "')
    problem = only_problem(tmp_path, text)
    assert (problem.path, problem.message, problem.line) == ("title", "must not be empty", 3)


# ------------------------------------------------------------ unknown keys


def test_unknown_key_in_an_item_suggests_the_right_one(tmp_path: Path) -> None:
    text = edit('kind = "opening"', 'kind = "opening"\npromts = []')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[0].promts"
    assert problem.message == "unknown key (did you mean 'prompts'?)"
    assert problem.line == line_of(text, "promts = []")


def test_unknown_table_in_an_item_points_at_its_header(tmp_path: Path) -> None:
    text = edit("[[sessions.prompts]]", "[[sessions.promts]]")
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].promts"
    assert problem.message == "unknown key (did you mean 'prompts'?)"
    assert problem.line == line_of(text, "[[sessions.promts]]")


def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    text = edit('title = "Demo meeting"', 'tittle = "Demo meeting"')
    found = {(p.path, p.message, p.line) for p in problems(tmp_path, text)}
    assert found == {
        ("tittle", "unknown key (did you mean 'title'?)", 3),
        ("title", "is missing", None),
    }


def test_unknown_key_without_a_close_match_has_no_suggestion(tmp_path: Path) -> None:
    text = edit('kind = "opening"', 'kind = "opening"\nzzz = 1')
    problem = only_problem(tmp_path, text)
    assert (problem.path, problem.message) == ("sessions[0].zzz", "unknown key")


def test_sessions_as_a_single_table_gets_a_hint(tmp_path: Path) -> None:
    text = BASE.split("[[sessions]]")[0] + '[sessions]\nid = "x"\n'
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions"
    assert "[[sessions]]" in problem.message and "not [sessions]" in problem.message
    assert problem.line == line_of(text, "[sessions]")


# -------------------------------------------------------------- duplicates


def test_duplicate_agenda_item_ids(tmp_path: Path) -> None:
    text = edit('id = "wrap-up"', 'id = "talk"')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[2].id"
    assert problem.message == "duplicate agenda item id 'talk' (first at sessions[1].id)"
    assert problem.line == line_of(text, 'id = "talk"', 1)


def test_duplicate_prompt_ids_within_an_item(tmp_path: Path) -> None:
    text = edit('text = "What works?"\n', 'text = "What works?"\n\n[[sessions.prompts]]\nid = "q1"\ntext = "Again?"\n')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].prompts[1].id"
    assert problem.message == "duplicate prompt id 'q1' (first at sessions[1].prompts[0].id)"
    assert problem.line == line_of(text, 'id = "q1"', 1)


def test_the_same_prompt_id_in_two_items_is_fine(tmp_path: Path) -> None:
    text = BASE + '\n[[sessions.prompts]]\nid = "q1"\ntext = "Anything else?"\n'
    programme = load_programme(write(tmp_path, text))
    assert [p.id for s in programme.sessions for p in s.prompts] == ["q1", "q1"]


def test_duplicate_groups_ignoring_case(tmp_path: Path) -> None:
    text = edit('date = "2030-01-15"', 'date = "2030-01-15"\ngroups = ["Chad", "Peru", "chad"]')
    problem = only_problem(tmp_path, text)
    assert problem.path == "groups[2]"
    assert problem.message == (
        "'chad' is the same group as 'Chad' (first at groups[0]): case, accents and invisible characters"
        " do not make another group"
    )
    assert problem.line == line_of(text, "groups =")


@pytest.mark.parametrize("other", ["CAMBODIA\u00ad", "Cam\u200bbodia", "Cambódia", "ＣＡＭＢＯＤＩＡ"])
def test_groups_that_are_the_same_group_are_refused(tmp_path: Path, other: str) -> None:
    text = edit('date = "2030-01-15"', f'date = "2030-01-15"\ngroups = ["Cambodia", "{other}"]')
    problem = only_problem(tmp_path, text)
    assert problem.path == "groups[1]"
    assert "is the same group as 'Cambodia'" in problem.message


def test_groups_with_other_names(tmp_path: Path) -> None:
    text = edit(
        'date = "2030-01-15"',
        'date = "2030-01-15"\ngroups = ["Chad", { name = "Yemen", aka = ["Yémen", "اليمن"] }]',
    )
    programme = load_programme(write(tmp_path, text))
    assert programme.groups == ("Chad", "Yemen")
    assert programme.aka == (("Yémen", "Yemen"), ("اليمن", "Yemen"))
    roster = programme.roster(["yemen", "Perú", "peru"])
    assert roster.names == ["Chad", "Yemen", "Perú"]
    assert [roster.canonical(n) for n in ("اليمن", "YÉMEN", "Peru", "Togo")] == ["Yemen", "Yemen", "Perú", "Togo"]


def test_another_name_that_is_another_group_is_refused(tmp_path: Path) -> None:
    text = edit('date = "2030-01-15"', 'date = "2030-01-15"\ngroups = ["Chad", { name = "Tchad", aka = ["chad"] }]')
    problem = only_problem(tmp_path, text)
    assert problem.path == "groups[1].aka[0]"
    assert "the same group as 'Chad'" in problem.message


def test_a_group_table_needs_a_name_and_knows_its_keys(tmp_path: Path) -> None:
    text = edit('date = "2030-01-15"', 'date = "2030-01-15"\ngroups = [{ aka = ["X"], als = 1 }]')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(write(tmp_path, text))
    paths = sorted(p.path for p in caught.value.problems)
    assert paths == ["groups[0].als", "groups[0].name"]


def test_duplicate_categories(tmp_path: Path) -> None:
    text = edit('kind = "discussion"', 'kind = "exercise"\ncategories = ["Output", "output"]')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].categories[1]"
    assert problem.message == "duplicate category 'output' (first at sessions[1].categories[0])"


# ------------------------------------------------------------------ agenda


def test_start_times_out_of_order(tmp_path: Path) -> None:
    text = edit('start = "11:00"', 'start = "09:15"')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[2].start"
    assert problem.message == "09:15 is before the previous start 09:30: items must be in time order"
    assert problem.line == line_of(text, 'start = "09:15"')


def test_first_item_without_start(tmp_path: Path) -> None:
    text = edit('start = "09:00"\n', "")
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[0].start"
    assert problem.message == "is missing: the first item of a day needs a start time"
    assert problem.line == line_of(text, "[[sessions]]", 0)


def test_later_items_may_follow_without_start(tmp_path: Path) -> None:
    text = edit('start = "09:30"\n', "duration = 45\n")
    programme = load_programme(write(tmp_path, text))
    assert programme.sessions[1].start is None
    assert programme.sessions[1].duration == 45


def test_categories_on_a_non_exercise_item(tmp_path: Path) -> None:
    text = edit('kind = "discussion"', 'kind = "discussion"\ncategories = ["A", "B"]\ninstructions = "Sort."')
    found = [(p.path, p.message, p.line) for p in problems(tmp_path, text)]
    assert found == [
        (
            "sessions[1].categories",
            "only an item of kind 'exercise' has categories (this one is 'discussion')",
            line_of(text, "categories ="),
        ),
        (
            "sessions[1].instructions",
            "only an item of kind 'exercise' has instructions (this one is 'discussion')",
            line_of(text, "instructions ="),
        ),
    ]


def test_exercise_with_categories_is_fine(tmp_path: Path) -> None:
    text = edit('kind = "discussion"', 'kind = "exercise"\ncategories = ["A", "B"]\ninstructions = "Sort."')
    session = load_programme(write(tmp_path, text)).sessions[1]
    assert session.exercise is not None
    assert session.exercise.categories == ("A", "B")
    assert session.exercise.instructions == "Sort."


def test_empty_prompt_text(tmp_path: Path) -> None:
    text = edit('text = "What works?"', 'text = "  "')
    problem = only_problem(tmp_path, text)
    assert (problem.path, problem.message) == ("sessions[1].prompts[0].text", "must not be empty")
    assert problem.line == line_of(text, 'text = "  "')


def test_unknown_kind_with_suggestion(tmp_path: Path) -> None:
    text = edit('kind = "discussion"', 'kind = "discusion"')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].kind"
    assert problem.message == (
        "'discusion' is not one of opening, discussion, break, exercise, closing (did you mean 'discussion'?)"
    )
    assert problem.line == line_of(text, 'kind = "discusion"')


def test_unknown_kind_is_reported_once_even_with_categories(tmp_path: Path) -> None:
    # A misspelt "exercise" must not also be told off for having categories.
    text = edit('kind = "discussion"', 'kind = "exersise"\ncategories = ["A"]')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[1].kind"
    assert problem.message.endswith("(did you mean 'exercise'?)")


def test_unknown_kind_without_a_close_match(tmp_path: Path) -> None:
    text = edit('kind = "discussion"', 'kind = "party"')
    problem = only_problem(tmp_path, text)
    assert problem.message == "'party' is not one of opening, discussion, break, exercise, closing"


def test_no_agenda_items(tmp_path: Path) -> None:
    text = BASE.split("[[sessions]]")[0] + "sessions = []\n"
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions"
    assert problem.message == "is empty: a programme needs at least one agenda item"


# ------------------------------------------------------------ schema, dates


def test_schema_missing(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, edit("schema = 1\n", ""))
    assert (problem.path, problem.message, problem.line) == ("schema", "is missing", None)


def test_schema_from_the_future(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, edit("schema = 1", "schema = 99"))
    assert (problem.path, problem.line) == ("schema", 1)
    assert problem.message == "is 99; this version of facilitator reads schema 1"


def test_date_and_dates_both_given(tmp_path: Path) -> None:
    text = edit('date = "2030-01-15"', 'date = "2030-01-15"\ndates = ["2030-01-15", "2030-01-16"]')
    problem = only_problem(tmp_path, text)
    assert problem.path == "dates"
    assert problem.message == "give either 'date' (one day) or 'dates' (several), not both"
    assert problem.line == line_of(text, "dates =")


def test_no_date_at_all(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, edit('date = "2030-01-15"\n', ""))
    assert (problem.path, problem.message) == ("date", "is missing (or 'dates' for a programme of several days)")


def test_dates_out_of_order(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, edit('date = "2030-01-15"', 'dates = ["2030-01-16", "2030-01-15"]'))
    assert (problem.path, problem.message) == ("dates", "must be in order, each day once")


def test_item_date_not_among_the_programmes_dates(tmp_path: Path) -> None:
    text = edit('id = "wrap-up"', 'id = "wrap-up"\ndate = "2030-01-16"')
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[2].date"
    assert problem.message == "2030-01-16 is not one of the programme's dates"
    assert problem.line == line_of(text, 'date = "2030-01-16"')


MULTI_DAY = edit('date = "2030-01-15"', 'dates = ["2030-01-15", "2030-01-16"]')
DAY_TWO = '\n[[sessions]]\nid = "day-2"\ndate = "2030-01-16"\ntitle = "Day 2"\nkind = "opening"\n'


def test_second_day_starts_fresh(tmp_path: Path) -> None:
    # 08:00 on the second day is not "before" the first day's 11:00.
    text = MULTI_DAY + DAY_TWO + 'start = "08:00"\n'
    programme = load_programme(write(tmp_path, text))
    assert [s.date.day for s in programme.sessions] == [15, 15, 15, 16]


def test_first_item_of_the_second_day_needs_a_start(tmp_path: Path) -> None:
    text = MULTI_DAY + DAY_TWO
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[3].start"
    assert problem.message == "is missing: the first item of a day needs a start time"


LAST_DAY = """\
schema = 1
id = "late"
title = "The last day"
date = "9999-12-31"

[[sessions]]
id = "evening"
start = "23:00"
duration = 120
title = "Evening"
kind = "discussion"
"""


def test_an_item_planned_past_the_last_day_a_schedule_holds_is_refused(tmp_path: Path, capsys) -> None:
    """Issue 15, item 10: 9999-12-31 23:00 for 120 minutes passed `validate`, then `show` failed with an
    OverflowError and `run` crashed the app. The loader asks the planner and names the key."""
    problem = only_problem(tmp_path, LAST_DAY)
    assert problem.path == "sessions[0].duration" and problem.line == line_of(LAST_DAY, "duration = 120")
    assert problem.message == (
        "the item cannot be planned: 120 minutes from 9999-12-31 23:00 end after 9999-12-31 23:59"
    )
    path = tmp_path / "programme.toml"
    for command in ("validate", "show"):  # `run` refuses it alike: test_cli_run.py, in a subprocess
        assert main([command, str(path)]) == 2
        assert capsys.readouterr() == ("", f"facilitator: {problem}\n")
    # Items that follow one another past midnight overflow too; the one that does is named.
    chained = edit("duration = 120", "duration = 50", LAST_DAY) + '\n[[sessions]]\nid = "after"\nduration = 30\n'
    chained += 'title = "After"\nkind = "discussion"\n'
    problem = only_problem(tmp_path, chained)
    assert (problem.path, problem.line) == ("sessions[1].duration", line_of(chained, "duration = 30"))
    ok = edit("duration = 120", "duration = 59", LAST_DAY)  # ends at 23:59: computable, so valid
    assert load_programme(write(tmp_path, ok)).sessions[0].duration == 59


def test_items_must_not_go_back_a_day(tmp_path: Path) -> None:
    text = edit('id = "talk"', 'id = "talk"\ndate = "2030-01-16"', MULTI_DAY)
    text = edit('id = "wrap-up"', 'id = "wrap-up"\ndate = "2030-01-15"', text)
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[2].date"
    assert problem.message == "2030-01-15 comes before the previous item's 2030-01-16"


# ----------------------------------------------------------------------- ids


@pytest.mark.parametrize(
    "bad_id",
    [
        "../etc",  # ids become file names in the notes folder
        "a/b",
        "Opening",  # upper case: two files that differ only by case clash on macOS and Windows
        "two words",
        "-leading-dash",
        "",
        "x" * 65,
        "abc\n",  # a trailing newline must not slip past the pattern's end
        "con",  # a device name on Windows
        "nul",
    ],
)
def test_invalid_item_ids(tmp_path: Path, bad_id: str) -> None:
    text = edit('id = "opening"', f"id = {bad_id!r}".replace("'", '"'))
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[0].id"
    assert "is not a valid id: use lower-case letters, digits, '-' or '_'" in problem.message
    assert problem.line == 7


def test_invalid_programme_id(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, edit('id = "demo"', 'id = "../../home"'))
    assert (problem.path, problem.line) == ("id", 2)
    assert problem.message.startswith("'../../home' is not a valid id")


@pytest.mark.parametrize("good_id", ["a", "item_2", "x" * 64, "2012-opening", "console"])
def test_valid_ids(tmp_path: Path, good_id: str) -> None:
    programme = load_programme(write(tmp_path, edit('id = "opening"', f'id = "{good_id}"')))
    assert programme.sessions[0].id == good_id


# ------------------------------------------------------ all problems at once


def test_all_problems_are_reported_at_once_in_file_order(tmp_path: Path) -> None:
    text = edit('kind = "opening"', 'kind = "openning"')
    text = edit('start = "09:30"', 'start = "25:99"', text)
    text = edit('title = "Wrap-up"\n', "", text)
    found = problems(tmp_path, text)
    assert [(p.path, p.line) for p in found] == [
        ("sessions[0].kind", line_of(text, 'kind = "openning"')),
        ("sessions[1].start", line_of(text, 'start = "25:99"')),
        ("sessions[2].title", line_of(text, "[[sessions]]", 2)),
    ]
    path = tmp_path / "programme.toml"
    expected = 'sessions[1].start: must be a time like "10:15", not the string "25:99"'
    assert str(found[1]) == f"{path}:{found[1].line}: {expected}"


def test_problems_without_a_line_come_first(tmp_path: Path) -> None:
    text = edit("schema = 1\n", "")
    text = edit('kind = "opening"', 'kind = "openning"', text)
    found = problems(tmp_path, text)
    assert [p.path for p in found] == ["schema", "sessions[0].kind"]


def test_line_numbers_ignore_lookalikes_inside_multiline_text(tmp_path: Path) -> None:
    # Background text that happens to contain TOML-looking lines is text.
    background = '\n[[background]]\ntitle = "Notes"\ntext = """\n[[sessions]]\ntitle = "not a key"\n"""\n'
    text = edit('date = "2030-01-15"\n', 'date = "2030-01-15"\n' + background)
    text = edit('title = "Opening"\n', "", text)
    problem = only_problem(tmp_path, text)
    assert problem.path == "sessions[0].title"
    assert problem.line == line_of(text, "[[sessions]]", 1)  # the real header, not the one in the text


def test_locate_line_falls_back_to_the_enclosing_table() -> None:
    text = '[[sessions]]\nid = "a"\n\n[[sessions]]\nid = "b"\n'
    assert locate_line(text, "sessions[1].title") == 4
    assert locate_line(text, "sessions[1].id") == 5
    assert locate_line(text, "sessions[7].id") == 1  # no such header: where the sessions are
    assert locate_line(text, "title") is None  # nothing like it in the text
    assert locate_line("", "id") is None


# ---------------------------------------------------------- unreadable files


def load_error(path: Path) -> Problem:
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


def test_missing_file(tmp_path: Path) -> None:
    problem = load_error(tmp_path / "nowhere.toml")
    assert problem.message == "no such file"
    assert problem.file == str(tmp_path / "nowhere.toml")


def test_a_folder(tmp_path: Path) -> None:
    assert load_error(tmp_path).message == "is a folder, not a programme file"


def test_a_device_is_not_read() -> None:
    # /dev/null, /dev/zero or a pipe: a device could block or never end.
    assert load_error(Path(os.devnull)).message == "is not a regular file"


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.toml"
    path.write_bytes(random.Random(20120522).randbytes(4096))
    assert load_error(path).message.startswith("is not UTF-8 text")


def test_png_header(tmp_path: Path) -> None:
    path = tmp_path / "picture.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    problem = load_error(path)
    assert (problem.message, problem.line) == ("is not UTF-8 text (byte 0x89)", 1)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(edit('title = "Talk"', 'title = "Café"').encode("latin-1"))
    problem = load_error(path)
    assert (problem.message, problem.line) == ("is not UTF-8 text (byte 0xe9)", line_of(BASE, 'title = "Talk"'))


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "utf16.toml"
    path.write_bytes(BASE.encode("utf-16"))
    assert load_error(path).message.startswith("is not UTF-8 text")


def test_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "nul.toml"
    path.write_bytes(BASE.encode() + b"\n# \x00\n")
    problem = load_error(path)
    assert problem.message == "contains a NUL byte: is it a binary file?"
    assert problem.line == BASE.count("\n") + 2


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only a comment\n\n# and another\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    problem = load_error(write(tmp_path, text))
    assert problem.message.startswith("is empty: a programme needs schema, id, title, date")


def test_file_over_2_mb(tmp_path: Path) -> None:
    padding = "# " + "x" * 97 + "\n"  # 100 bytes
    path = write(tmp_path, BASE + padding * (MAX_FILE_BYTES // 100))
    assert path.stat().st_size > MAX_FILE_BYTES
    assert load_error(path).message == "is larger than 2 MB; a programme file is a few kilobytes"


def test_file_of_exactly_2_mb_is_read(tmp_path: Path) -> None:
    filler = MAX_FILE_BYTES - len(BASE.encode()) - 2
    path = write(tmp_path, BASE + "#" + "x" * filler + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_programme(path).id == "demo"


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        "a = " + "{b = " * 5000 + "}" * 5000,
        "a = " + "[" * 5000,  # unclosed, too
        "[[sessions]]\nprompts = " + "[" * 100_000,
    ],
)
def test_deeply_nested_values(tmp_path: Path, text: str) -> None:
    # tomllib recurses once per level: the RecursionError must not leak.
    assert load_error(write(tmp_path, text)).message == "nested too deeply to be a programme"


# ------------------------------------------------- nothing but ProgrammeError


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_give_a_programme_or_a_programme_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    try:
        load_programme(path)
    except ProgrammeError as exc:
        assert exc.problems


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
)
_KEYS = st.sampled_from(
    ["schema", "id", "title", "date", "dates", "groups", "sessions", "chairs", "background", "start", "kind"]
)
_ITEM = st.dictionaries(
    st.sampled_from(["id", "start", "date", "duration", "title", "kind", "prompts", "categories", "presenters"]),
    _VALUES,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES), st.lists(_ITEM, max_size=4))
def test_any_data_shape_gives_a_programme_or_a_programme_error(data: dict, items: list) -> None:
    # What tomllib could hand over, whatever its shape: never a crash in validation.
    data = {**data, "sessions": items} if items else data
    try:
        result = parse_programme(data)
    except ProgrammeError as exc:
        assert all(isinstance(p, Problem) and p.message for p in exc.problems)
    else:
        assert isinstance(result, Programme)


def test_problem_line_format() -> None:
    assert str(Problem("a.toml", "sessions[1].start", "is wrong", 14)) == "a.toml:14: sessions[1].start: is wrong"
    assert str(Problem("a.toml", "title", "is missing")) == "a.toml: title: is missing"
    assert str(Problem("a.toml", "", "no such file")) == "a.toml: no such file"
    assert re.fullmatch(r"[^:]+:\d+: [\w\[\].]+: .+", str(Problem("b.toml", "sessions[0].id", "x", 3)))


def test_an_agenda_item_cannot_be_called_run(tmp_path):
    """Item ids become notes file names; run.toml already holds the run state."""
    from facilitator.programme import ProgrammeError, load_programme

    path = tmp_path / "p.toml"
    path.write_text(
        'schema = 1\nid = "p"\ntitle = "T"\ndate = "2012-05-22"\n\n'
        '[[sessions]]\nid = "run"\nstart = "10:00"\ntitle = "Run"\nkind = "discussion"\n',
        encoding="utf-8",
    )
    try:
        load_programme(path)
    except ProgrammeError as exc:
        [problem] = exc.problems
        assert problem.path == "sessions[0].id" and "reserved" in problem.message and problem.line == 7
    else:
        raise AssertionError("an item called 'run' was accepted")
