"""JSON and CSV exports, read back with `json` and `csv`: every answer once, in its place, inert."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_export_fixture import ANSWERS, FORMULA, PIPE_GROUP, SCRIPT, build

from facilitator.exporters import FORMATS, NOTES_FORMATS, export
from facilitator.exporters.csv_export import HEADER, neutralise


@pytest.fixture
def built(tmp_path: Path):
    return build(tmp_path)


# ------------------------------------------------------------------ JSON


def test_json_holds_the_whole_run(built) -> None:
    programme, notes, _ = built
    data = json.loads(export(programme, notes, "json"))
    assert data["schema"] == 1
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
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert neutralise("a" + cell) == "a" + cell


def test_csv_rows_end_with_crlf_and_the_bom_comes_once(built) -> None:
    programme, notes, _ = built
    text = export(programme, notes, "csv")
    assert text.count("\ufeff") == 1
    assert text.splitlines(keepends=True)[0].endswith("\r\n")


# ------------------------------------------------------------------ registry


def test_registry() -> None:
    assert NOTES_FORMATS == ("md", "html", "csv", "json", "docx")
    assert FORMATS["docx"].binary and not FORMATS["csv"].binary
    with pytest.raises(ValueError, match="unknown format"):
        export(None, None, "pdf")  # type: ignore[arg-type]
