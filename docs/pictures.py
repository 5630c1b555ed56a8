"""The README's pictures of the exports, made from the current code.

    python docs/pictures.py

Writes the rehearsed 2012 notes of the tests (`tests/test_export_fixture.rehearsal`), exports the
rapporteur's notes and the co-chairs' summary as Word, converts them to PDF with LibreOffice and
page 1 of each to docs/report-page1.png and docs/summary-page1.png with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from test_export_fixture import rehearsal  # noqa: E402

from facilitator.exporters import export, export_summary  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        programme, notes, _ = rehearsal(folder)
        (folder / "report.docx").write_bytes(export(programme, notes, "docx"))
        (folder / "summary.docx").write_bytes(export_summary(programme, notes, "docx"))
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
             "--outdir", str(folder), str(folder / "report.docx"), str(folder / "summary.docx")],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        for name in ("report", "summary"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(folder / f"{name}.pdf"),
                 str(HERE / f"{name}-page1")],
                check=True, timeout=120,
            )  # fmt: skip
            print(HERE / f"{name}-page1.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
