"""JSON and CSV exports, read back with `json`, `jsonschema` and `csv` (and LibreOffice where it is
installed): every answer once, in its place, numbered, inert."""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest
from test_export_fixture import ANSWERS, FORMULA, MULTILINE, PIPE_GROUP, SCRIPT, build, rehearsal

from facilitator.exporters import FORMATS, NOTES_FORMATS, export
from facilitator.exporters.csv_export import HEADER, TRIGGERS, neutralise

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def built(tmp_path: Path):
    return build(tmp_path)


# ------------------------------------------------------------------ JSON


def test_json_holds_the_whole_run(built) -> None:
    programme, notes, _ = built
    data = json.loads(export(programme, notes, "json"))
    assert data["schema"] == 3
    assert data["programme"]["title"] == programme.title
    assert data["programme"]["dates"] == ["2030-05-22"]
    assert data["programme"]["venue"] == "Salle B, Geneva"
    assert [c["name"] for c in data["programme"]["chairs"]] == ["Algeria", "Croatia"]
    assert [i["id"] for i in data["items"]] == ["opening", "coordination", "lunch", "exercise", "end", "side-event"]
    found = {}
    for item in data["items"]:
        for prompt in item["prompts"]:
            for answer in prompt["answers"]:
                assert answer["id"] not in found
                found[answer["id"]] = (item["id"], prompt["id"], answer["group"], answer["text"], answer["votes"],
                                       answer["starred"], answer["category"])  # fmt: skip
    assert found == ANSWERS
    coordination = data["items"][1]
    assert coordination["planned_start"] == "2030-05-22T09:15:00"
    assert coordination["actual_end"] == "2030-05-22T12:10:00"
    assert (coordination["planned_minutes"], coordination["actual_minutes"]) == (165, 170)
    assert coordination["presenters"] == [{"name": "ICBL", "role": "Scene-setting presentation"}]
    assert [(t["name"], t["votes"]) for t in coordination["themes"]] == [("<i>Funding</i>", 7),
                                                                         ("Leadership & focal points", 5)]  # fmt: skip
    theme_of = {a["id"]: a["theme"] for p in coordination["prompts"] for a in p["answers"]}
    assert theme_of["a-01"] == "t-1" and theme_of["a-08"] == "t-2" and theme_of["a-02"] is None
    exercise = data["items"][3]["exercise"]
    assert exercise["counts"] == [[1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
    assert exercise["column_totals"] == [3, 1, 1, 1] and exercise["total"] == 6
    assert data["silent_groups"] == ["Yemen"]
    assert data["run"]["total_delay_minutes"] == 5 and data["run"]["answer_count"] == 17


def test_json_answers_come_numbered_in_document_order(built) -> None:
    """Themes first (most votes first), then the rest, each by group: the order and numbers of every format."""
    programme, notes, _ = built
    data = json.loads(export(programme, notes, "json"))
    answers = [a for item in data["items"] for prompt in item["prompts"] for a in prompt["answers"]]
    assert [a["number"] for a in answers] == list(range(1, 18))
    challenges = data["items"][1]["prompts"][0]["answers"]
    # Leadership & focal points: Cambodia a-01, Chad a-03; then no theme: Cambodia a-02, Chad a-05, then the pipe group.
    assert [a["id"] for a in challenges] == ["a-01", "a-03", "a-02", "a-05", "a-04"]


def test_json_unclassified_is_the_same_empty_category_on_the_answer_and_in_the_table(built) -> None:
    programme, notes, _ = built
    exercise = json.loads(export(programme, notes, "json"))["items"][3]
    assert exercise["exercise"]["categories"] == ["Output", "Outcome", "Impact", ""]
    (peru,) = [a for a in exercise["prompts"][0]["answers"] if a["id"] == "a-14"]
    assert peru["category"] == ""
    column = exercise["exercise"]["categories"].index(peru["category"])
    row = exercise["exercise"]["groups"].index(peru["counted_as"])
    assert exercise["exercise"]["counts"][row][column] == 1


def test_json_keeps_line_breaks_exactly(built) -> None:
    programme, notes, _ = built
    data = json.loads(export(programme, notes, "json"))
    texts = {a["id"]: a["text"] for i in data["items"] for p in i["prompts"] for a in p["answers"]}
    assert texts["a-05"] == MULTILINE


def test_json_is_valid_against_the_schema_in_the_repository(built, tmp_path: Path) -> None:
    programme, notes, _ = built
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    validator.check_schema(SCHEMA)
    validator.validate(json.loads(export(programme, notes, "json")))
    programme, notes, _ = rehearsal(tmp_path)  # Arabic, Thai, a kept version, an exercise, 57 answers
    data = json.loads(export(programme, notes, "json"))
    validator.validate(data)
    # The schema says something: a missing number, an unknown field, a wrong type are refused.
    for spoil in (
        lambda d: d["items"][1]["prompts"][0]["answers"][0].pop("number"),
        lambda d: d["items"][1]["prompts"][0]["answers"][0].update(surprise=1),
        lambda d: d["run"].update(answer_count="57"),
        lambda d: d["items"][1]["prompts"][0]["answers"][0]["conflicts"][0].pop("text"),
    ):
        broken = copy.deepcopy(data)
        spoil(broken)
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(broken)


def test_json_groups_count_by_identity(tmp_path: Path) -> None:
    """ "Sénégal" and "senegal" are the programme's Senegal: in participation, themes and the exercise table."""
    programme, notes, _ = rehearsal(tmp_path)
    data = json.loads(export(programme, notes, "json"))
    answers = [a for i in data["items"] for p in i["prompts"] for a in p["answers"]]
    assert {a["group"] for a in answers if a["counted_as"] == "Senegal"} == {"Sénégal", "senegal", "Senegal"}
    assert "Senegal" not in data["silent_groups"]
    assert [p["contributions"] for p in data["participation"] if p["group"] == "Senegal"] == [4]
    exercise = next(i["exercise"] for i in data["items"] if i["exercise"])
    assert "Senegal" in exercise["groups"] and "Sénégal" not in exercise["groups"]


# ------------------------------------------------------------------ CSV


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_has_one_row_per_answer_in_its_place(built) -> None:
    programme, notes, _ = built
    text = export(programme, notes, "csv")
    rows = read_csv(text)
    assert list(rows[0]) == list(HEADER)
    assert len(rows) == len(ANSWERS)
    assert [r["number"] for r in rows] == [str(n) for n in range(1, 18)]
    by_id = {r["answer id"]: r for r in rows}
    assert len(by_id) == len(ANSWERS)
    for answer_id, (item, prompt, group, answer_text, votes, starred, category) in ANSWERS.items():
        row = by_id[answer_id]
        assert row["item id"] == item and row["prompt id"] == prompt
        assert row["group"] == group
        assert row["text"] == neutralise(answer_text)
        assert (row["votes"], row["starred"], row["category"]) == (str(votes), "yes" if starred else "", category)
    assert by_id["a-01"]["item"] == "Coordination in the implementation of national plans"
    assert by_id["a-01"]["prompt"] == "What are the main challenges?"
    assert by_id["a-01"]["theme"] == "Leadership & focal points" and by_id["a-02"]["theme"] == ""
    assert by_id["a-01"]["captured at"] == "2030-05-22 09:30:00"


def test_csv_keeps_line_breaks_inside_the_quoted_cell(built) -> None:
    programme, notes, _ = built
    text = export(programme, notes, "csv")
    assert '"He said ""yes"" and \'no\'\nsecond line\n  - third line, indented"' in text
    assert {r["answer id"]: r["text"] for r in read_csv(text)}["a-05"] == MULTILINE


def test_csv_neutralises_formulas_and_keeps_the_rest_verbatim(built) -> None:
    programme, notes, _ = built
    by_id = {r["answer id"]: r for r in read_csv(export(programme, notes, "csv"))}
    assert by_id["a-03"]["text"] == "'" + FORMULA
    assert by_id["a-08"]["text"].startswith("'-5%")
    assert by_id["a-09"]["text"] == "'@mention and +plus"
    assert by_id["a-14"]["text"] == "'\tIndented, not classified"
    assert by_id["a-02"]["text"] == SCRIPT
    assert by_id["a-05"]["text"] == ANSWERS["a-05"][3]  # quotes and newlines survive quoting
    assert by_id["a-04"]["group"] == PIPE_GROUP
    assert by_id["a-07"]["text"] == "لا توجد خطة"
    for row in by_id.values():
        for cell in row.values():
            assert cell[:1] not in TRIGGERS, cell


# OWASP's CSV injection list (= + - @ tab, carriage return) and the NUL of OWASP ASVS 1.2.10: LibreOffice
# drops a leading NUL and then runs the formula behind it.
OWASP = ["=", "+", "-", "@", "\t", "\r", "\0"]


def test_the_guard_is_owasps_list() -> None:
    assert set(OWASP) == TRIGGERS


@pytest.mark.parametrize("lead", OWASP, ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_owasp_leading_character_is_neutralised_in_every_text_cell(tmp_path: Path, lead: str) -> None:
    from dataclasses import replace

    programme, notes, _ = build(tmp_path)
    item = notes.item("coordination")
    hostile = lead + 'HYPERLINK("http://x","y")'
    answers = tuple(replace(a, text=hostile, group=lead + "G", category=lead + "c") if a.id == "a-01" else a
                    for a in item.answers)  # fmt: skip
    rows = read_csv(export(programme, notes.with_item(replace(item, answers=answers)), "csv"))
    (row,) = [r for r in rows if r["answer id"] == "a-01"]
    assert row["text"] == "'" + hostile
    assert row["group"] == "'" + lead + "G" and row["category"] == "'" + lead + "c"
    assert neutralise(lead + "x") == "'" + lead + "x" and neutralise("a" + lead) == "a" + lead


def test_csv_rows_end_with_crlf_and_the_bom_comes_once(built) -> None:
    programme, notes, _ = built
    text = export(programme, notes, "csv")
    assert text.count("\ufeff") == 1
    assert text.splitlines(keepends=True)[0].endswith("\r\n")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_every_hostile_cell_as_text(built, tmp_path: Path) -> None:
    """The real spreadsheet: the CSV opened by LibreOffice Calc (formulas evaluated, as on a double-click)
    holds no formula, whatever leading character an answer, a group or a category starts with."""
    from dataclasses import replace

    programme, notes, _ = built
    item = notes.item("coordination")
    leads = OWASP + ["\x01", " ", "\u00a0"]
    extra = tuple(
        replace(
            item.answers[0], id=f"a-x{n}", text=f"{lead}1+1", group=f"{lead}cmd|' /C calc'!A0", category=f"{lead}2*3"
        )
        for n, lead in enumerate(leads)
    )
    target = tmp_path / "answers.csv"
    target.write_text(export(programme, notes.with_item(replace(item, answers=item.answers + extra)), "csv"),
                      encoding="utf-8", newline="")  # fmt: skip
    # 44 , separator; 34 " quote; 76 UTF-8; from line 1; token 13 on: evaluate formulas, as the import dialog does.
    options = "CSV Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,false,true"
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--infilter=" + options,
         "--convert-to", "ods", "--outdir", str(tmp_path), str(target)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    content = zipfile.ZipFile(tmp_path / "answers.ods").read("content.xml").decode("utf-8")
    assert done.returncode == 0 and "table:table-cell" in content, done.stderr
    assert "table:formula" not in content
    assert content.count("1+1") >= len(leads) and "HYPERLINK" in content


# ------------------------------------------------------------------ registry


def test_registry() -> None:
    assert NOTES_FORMATS == ("md", "html", "csv", "json", "docx")
    assert FORMATS["docx"].binary and not FORMATS["csv"].binary
    with pytest.raises(ValueError, match="unknown format"):
        export(None, None, "pdf")  # type: ignore[arg-type]
