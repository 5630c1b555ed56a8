"""The Word and HTML exports of the rehearsed 2012 notes as people receive them: converted to PDF by
LibreOffice, read back with pdftotext: A4 pages, "Page X of Y" on every Word page, every answer there
once, numbered, in order. Skipped where LibreOffice or poppler is not installed: the XML-level checks in
test_export_docx.py and test_export_html.py run everywhere."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_export_fixture import rehearsal

from facilitator.exporters import _common as c
from facilitator.exporters import export

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice and poppler (pdftotext, pdfinfo) are not installed",
)


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[dict[str, Path], list[dict]]:
    folder = tmp_path_factory.mktemp("print")
    programme, notes, _ = rehearsal(folder)
    (folder / "report.docx").write_bytes(export(programme, notes, "docx"))
    (folder / "page.html").write_text(export(programme, notes, "html"), encoding="utf-8")
    data = json.loads(export(programme, notes, "json"))
    answers = [a for item in data["items"] for prompt in item["prompts"] for a in prompt["answers"]]
    # One LibreOffice start for both files (its own profile, so a running LibreOffice is not disturbed).
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
         "--outdir", str(folder), str(folder / "report.docx"), str(folder / "page.html")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    pdfs = {"docx": folder / "report.pdf", "html": folder / "page.pdf"}
    assert done.returncode == 0 and all(p.exists() for p in pdfs.values()), done.stdout + done.stderr
    return pdfs, answers


def in_order(text: str, answers: list[dict], numbered: bool) -> None:
    """Every left-to-right answer's first words in the PDF's text, after its number, in the order of the numbers.

    (pdftotext gives right-to-left lines in visual order, so Arabic answers are not looked for.)
    """
    text, at = flat(text), 0
    for answer in answers:
        if c.has_rtl(answer["text"]) or c.has_rtl(answer["group"]):
            continue
        start = re.escape(flat(answer["text"])[:30])
        found = re.compile((rf"\b{answer['number']}\.\s*" if numbered else "") + start).search(text, at)
        assert found, (answer["number"], answer["text"][:30], text[at : at + 300])
        at = found.end()


def test_the_word_report_prints_on_numbered_a4_pages_with_every_answer_in_order(printed) -> None:
    pdfs, answers = printed
    info = pdf_info(pdfs["docx"])
    pages = int(info["Pages"])
    assert "A4" in info["Page size"]
    assert 4 <= pages <= 12, pages  # 57 answers, a participation table and an exercise table
    assert info["Title"].strip() == "Parallel Programme for Victim Assistance Experts"
    assert info["Author"].strip() == "Implementation Support Unit, Anti-Personnel Mine Ban Convention"
    text = subprocess.run(["pdftotext", str(pdfs["docx"]), "-"], capture_output=True, text=True, check=True).stdout
    by_page = text.split("\f")
    for n, page in enumerate(by_page[:pages], 1):
        assert f"Page {n} of {pages}" in page  # the footer's fields, computed by LibreOffice
        assert "Parallel Programme for Victim Assistance Experts" in page  # the header
    in_order(text, answers, numbered=True)


def test_the_html_page_prints_with_every_answer_in_order(printed) -> None:
    pdfs, answers = printed
    info = pdf_info(pdfs["html"])
    assert int(info["Pages"]) >= 3
    text = subprocess.run(["pdftotext", str(pdfs["html"]), "-"], capture_output=True, text=True, check=True).stdout
    in_order(text, answers, numbered=True)
    assert "Provincial plans are not aligned with the national plan\n- health" in text  # the line breaks printed
