"""HTML: one self-contained page (inline CSS, no scripts, no external assets) that prints on A4.

Every piece of captured or programme text goes through `html.escape` (quotes
too, so it is safe in attributes); the only markup is this module's own. Bar
charts (answers per group, answers per theme) are plain CSS widths.
Sections carry ``data-item``, ``data-prompt``, ``data-group`` and
``data-answer`` attributes, so the page can be read back by a program.

Direction: every captured or programme string is in a ``<bdi>`` (its own
direction, isolated from the text around it), and an answer that reads right
to left is a ``dir="rtl"`` list item, as Word's right-to-left paragraphs.
Line breaks in an answer show (``white-space: pre-wrap``).

Print: headings and group names stay with the answer after them, no list item
or table row splits, a table's total row never starts a page, header rows
repeat, and each page is numbered "Page X of Y" (CSS page margin boxes).
Answers are numbered as in every format (``<ol start>``, ``<li value>``).
"""

from __future__ import annotations

from html import escape

from facilitator.exporters import _common as c
from facilitator.notes import Answer
from facilitator.problems import plural
from facilitator.summary import CategoryTable, ItemSummary, PromptSummary, Section, Summary

CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4d9; --bar: #2f6f9f; --key: #a15c00; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Segoe UI", "Noto Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7em; margin: 0 0 .2em; } h2 { font-size: 1.3em; margin-top: 1.8em;
     border-bottom: 2px solid var(--rule); padding-bottom: .2em; }
h3 { font-size: 1.08em; margin: 1.3em 0 .4em; } h4 { font-size: 1em; margin: 1em 0 .3em; color: var(--bar); }
.subtitle, .facts, .muted { color: var(--muted); }
.facts { margin: .6em 0 1.2em; padding: 0; list-style: none; } .facts b { color: var(--ink); }
.group { margin: .3em 0 .6em; } .group-name { margin: .6em 0 .1em; font-weight: 600; }
ol.answers, ol.points { margin: .2em 0 .4em 2.2em; padding: 0; }
li { margin: .15em 0; } li[dir="rtl"] { margin-right: 2.2em; } /* its number is on the right, */
li[dir="rtl"]::marker { content: " " counter(list-item) "."; direction: ltr; unicode-bidi: isolate; }
/* and reads "2." as in Word, the space on the text's side */
.answer-text { white-space: pre-wrap; overflow-wrap: anywhere; }
ul.conflicts { margin: .1em 0 .2em 1em; padding: 0; list-style: "↳ "; }
.marks { color: var(--muted); font-size: .9em; } .key { color: var(--key); font-weight: 600; }
.where { display: block; } /* where a key point was said: a line of its own, left to right */
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .95em; }
th, td { border: 1px solid var(--rule); padding: .25em .6em; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } tr.total td { font-weight: 600; }
.chart { display: grid; grid-template-columns: minmax(8em, 16em) 1fr 3em; gap: .2em .6em; align-items: center;
         margin: .4em 0 1em; font-size: .92em; }
.chart .track { background: #eef1f4; height: .9em; }
.chart .fill { display: block; background: var(--bar); height: 100%;
               -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.chart .n { text-align: right; }
h2.day { font-size: 1.5em; border-bottom: 3px solid var(--ink); margin-top: 2.2em; }
.rehearsal { border: 2px solid var(--key); color: var(--key); padding: .3em .6em; }
@page { size: A4; margin: 18mm 16mm 20mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages);
                         font: 8.5pt sans-serif; color: #5f6368; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h1, h2, h3, h4, .group-name, .chart-title, ul.facts { break-after: avoid; page-break-after: avoid;
                                                       break-inside: avoid; page-break-inside: avoid; }
  li, tr, .chart > * { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tr.total { break-before: avoid; page-break-before: avoid; }
  table.keep { break-inside: avoid; page-break-inside: avoid; }
  section.item { break-before: auto; }
}
"""


KEEP_ROWS = 30  # a table this short is kept on one page when printed


def e(value: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return escape(str(value), quote=True)


def b(value: str) -> str:
    """A captured or programme string: escaped and isolated in its own direction."""
    return f"<bdi>{escape(value, quote=True)}</bdi>"


def parts(line: c.Parts) -> str:
    return "".join(b(text) if captured else e(text) for text, captured in line)


def page(title: str, body: list[str], lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _facts(facts: list[tuple[str, str]]) -> str:
    return '<ul class="facts">' + "".join(f"<li><b>{k}:</b> {b(v)}</li>" for k, v in facts if v) + "</ul>"


def heading(summary: Summary, prefix: str = "") -> list[str]:
    programme = summary.programme
    out = [f"<header><h1>{e(c.title_prefix(summary) + prefix)}{b(programme.title)}</h1>"]
    if programme.subtitle:
        out.append(f'<p class="subtitle">{b(programme.subtitle)}</p>')
    if summary.rehearsal is not None:
        out.append(f'<p class="rehearsal"><b>{e(c.rehearsal_note(summary))}</b></p>')
    out.append(
        _facts([("Date", c.dates(programme)), ("Venue", programme.venue), ("Chairs", "; ".join(c.chairs(programme)))])
    )
    return out + ["</header>"]


def chart(rows: list[tuple[str, int]], label: str, *, markup: bool = False) -> str:
    """A horizontal bar chart in CSS: one bar per (name, count); `markup`: the names are HTML already."""
    if not rows:
        return ""
    top = max(n for _, n in rows) or 1
    cells = "".join(
        # Spaces between the cells: ignored by the grid, they keep name and count apart without the stylesheet.
        f'<span class="name">{name if markup else b(name)}</span> '
        f'<span class="track"><span class="fill" style="width:{100 * n / top:.1f}%"></span></span> '
        f'<span class="n">{n}</span> '
        for name, n in rows
    )
    return f'<div class="chart" role="img" aria-label="{e(label)}">{cells}</div>'


def _table(head: list[str], rows: list[str], css: str) -> str:
    """A table of rows already made; kept on one page when short enough."""
    keep = " keep" if len(rows) <= KEEP_ROWS else ""
    return f'<table class="{css}{keep}"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def exercise_table(table: CategoryTable) -> str:
    head = ["<th>Group</th>", *(f'<th class="n">{b(cat)}</th>' for cat in table.categories), '<th class="n">Total</th>']
    rows = [
        f"<tr><td>{b(group)}</td>"
        + "".join(f'<td class="n">{n}</td>' for n in counts)
        + f'<td class="n">{total}</td></tr>'
        for group, counts, total in zip(table.groups, table.counts, table.row_totals, strict=True)
    ]
    totals = "".join(f'<td class="n">{n}</td>' for n in table.column_totals)
    rows.append(f'<tr class="total"><td>Total</td>{totals}<td class="n">{table.total}</td></tr>')
    return _table(head, rows, "exercise")


def _text(value: str) -> str:
    """An answer's words, isolated: its line breaks as <br> (shown without the stylesheet too, as in
    LibreOffice or a mail reader), its leading spaces and tabs kept by the stylesheet (pre-wrap)."""
    return f'<bdi class="answer-text">{"<br>".join(escape(line, quote=True) for line in c.lines(value))}</bdi>'


def _dir(text: str) -> str:
    """The attribute that makes a block read right to left when its text does."""
    return ' dir="rtl"' if c.is_rtl(text) else ""


def _answer(number: int, answer: Answer) -> str:
    marks = c.marks(answer)
    shown = " · ".join(f'<span class="key">{e(m)}</span>' if m.startswith("★") else b(m) for m in marks)
    # The dash outside the isolated marks: it takes the answer's side in a right-to-left item.
    tail = f' <span class="marks">— <span dir="ltr">{shown}</span></span>' if marks else ""
    if answer.conflicts:
        labels = [(c.other_version(answer, x), x.text) for x in answer.conflicts]
        others = "".join(f'<li><span class="marks">{b(label)}:</span> {_text(said)}</li>' for label, said in labels)
        tail += f'<ul class="conflicts">{others}</ul>'
    attributes = f'class="answer" value="{number}" data-answer="{e(answer.id)}"{_dir(answer.text)}'
    return f"<li {attributes}>{_text(answer.text)}{tail}</li>"


def _section(section: Section) -> list[str]:
    out = []
    if section.title:
        votes = c.section_votes(section)
        votes = f' <span class="marks">— {votes}</span>' if votes else ""
        title = f"Theme: {b(section.title)}" if section.theme_id is not None else e(section.title)
        out.append(f'<h4 class="theme">{title}{votes}</h4>')
    for group in section.groups:
        answers = "".join(_answer(n, a) for n, a in group.numbered())
        out.append(
            f'<div class="group" data-group="{e(group.group)}"><p class="group-name"><b>{b(group.group)}</b></p>'
            f'<ol class="answers" start="{group.first}">{answers}</ol></div>'
        )
    return out


def _item(item: ItemSummary) -> list[str]:
    out = [f'<section class="item" data-item="{e(item.id)}">', f"<h2>{parts(c.item_parts(item))}</h2>"]
    out.append(
        _facts(
            [
                ("Planned", c.planned(item)),
                ("Actual", (c.actual(item) or "not recorded") if item.in_programme and not item.dropped else ""),
                ("On the day", item.agenda_note),
                ("Presenters", "; ".join(str(p) for p in item.presenters)),
                ("Location", item.location),
            ]
        )
    )
    if len(item.themes) > 1:
        note = f'<span class="marks">(themes {c.THEMES_NOTE})</span>'
        out.append(f'<h3 class="chart-title">Answers per theme {note}</h3>')
        out.append(chart([(t.name, len(t.answers)) for t in item.themes], "answers per theme"))
    for prompt in item.prompts:
        out.append(f'<section class="prompt" data-prompt="{e(prompt.id)}"><h3>{parts(c.prompt_parts(prompt))}</h3>')
        for section in prompt.sections:
            out += _section(section)
        out.append("</section>")
    if item.exercise:
        out += ["<h3>Exercise results</h3>", exercise_table(item.exercise)]
    return out + ["</section>"]


def participation(summary: Summary) -> list[str]:
    out = ["<h2>Participation</h2>", chart(c.bar_rows(summary), "answers per group")]
    if summary.silent_groups:
        names = ", ".join(map(b, summary.silent_groups))
        out.append(f'<p class="muted"><b>Did not contribute:</b> {names}</p>')
    return out


def render_notes(summary: Summary) -> str:
    """The rapporteur's notes: every answer, item by item."""
    body = heading(summary)
    body.append(f"<p>{e(c.how_many(summary))}.</p>")
    if summary.participation:
        body += participation(summary)
    days = c.day_heads(summary)
    for item in summary.items:
        if item.id in days:
            body.append(f'<h2 class="day">{e(days[item.id])}</h2>')
        body += _item(item)
    return page(summary.programme.title, body)


def _time_table(summary: Summary) -> str:
    rows = [
        f"<tr><td>{parts(c.item_parts(i))}{_on_the_day(i)}</td><td>{e(c.planned(i, summary.several_days))}</td>"
        f"<td>{e(c.actual(i))}</td>"
        f'<td class="n">{e(c.delay(i.end_delay_minutes))}</td></tr>'
        for i in summary.items
        if i.in_programme
    ]
    head = ["<th>Item</th>", "<th>Planned</th>", "<th>Actual</th>", '<th class="n">End delay</th>']
    return _table(head, rows, "time")


def _on_the_day(item: ItemSummary) -> str:
    return f' <span class="marks">({e(item.agenda_note)})</span>' if item.agenda_note else ""


def _key_points(summary: Summary) -> list[str]:
    points = "".join(
        f'<li data-answer="{e(p.answer.id)}"{_dir(p.answer.text)}>'
        f"<b>{b(p.group)}:</b> {_text(p.answer.text)} "
        f'<span class="where marks" dir="ltr">{b(p.item_title)} › {b(p.prompt)}, {e(c.answer_ref(p))}</span></li>'
        for p in summary.key_points
    )
    return ["<h2>Key points</h2>", f'<ol class="points">{points}</ol>']


def _prompt_charts(prompt: PromptSummary) -> list[str]:
    out = [f"<h3>{parts(c.prompt_parts(prompt))}</h3>"]
    if prompt.themes:
        out.append(f'<p class="chart-title muted">Themes, {c.THEMES_NOTE} (bars: votes)</p>')
        rows = [
            (f"{b(t.name)} ({plural(len(t.answers), 'answer')}; {', '.join(map(b, t.groups))})", t.votes)
            for t in prompt.themes
        ]
        out.append(chart(rows, "votes per theme", markup=True))
    out.append('<p class="chart-title muted">Answers per group</p>')
    out.append(chart([(g.group, len(g.answers)) for g in prompt.by_group], "answers per group"))
    return out


def render_summary(summary: Summary) -> str:
    """The co-chairs' summary: key points, participation, time, themes, exercise tables."""
    body = heading(summary, "Summary: ")
    line = c.how_many(summary)
    body.append(f"<p><b>{e(line)}</b>" + e(c.ran(summary)) + "</p>")
    if summary.key_points:
        body += _key_points(summary)
    body += participation(summary)
    body += ["<h2>Time</h2>", _time_table(summary)]
    for item in summary.items:
        if not item.prompts:
            continue
        body.append(f'<section class="item" data-item="{e(item.id)}"><h2>{parts(c.item_parts(item))}</h2>')
        for prompt in item.prompts:
            body += _prompt_charts(prompt)
        if item.exercise:
            body += ["<h3>Exercise results</h3>", exercise_table(item.exercise)]
        body.append("</section>")
    return page("Summary: " + summary.programme.title, body)
