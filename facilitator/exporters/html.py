"""HTML: one self-contained page (inline CSS, no scripts, no external assets) that prints on A4.

Every piece of captured or programme text goes through `html.escape` (quotes
too, so it is safe in attributes); the only markup is this module's own. Bar
charts (answers per group, answers per theme) are plain CSS widths.
Sections carry ``data-item``, ``data-prompt``, ``data-group`` and
``data-answer`` attributes, so the page can be read back by a program.
"""

from __future__ import annotations

from html import escape

from facilitator.exporters import _common as c
from facilitator.notes import Answer
from facilitator.summary import CategoryTable, ItemSummary, Summary

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
.group { margin: .3em 0 .6em; } .group > b { display: block; }
ol.answers, ol.points { margin: .2em 0 .4em 1.4em; padding: 0; }
li { margin: .15em 0; } .answer-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.marks { color: var(--muted); font-size: .9em; } .key { color: var(--key); font-weight: 600; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .95em; }
th, td { border: 1px solid var(--rule); padding: .25em .6em; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } tr.total td { font-weight: 600; }
.chart { display: grid; grid-template-columns: minmax(8em, 16em) 1fr 3em; gap: .2em .6em; align-items: center;
         margin: .4em 0 1em; font-size: .92em; }
.chart .track { background: #eef1f4; height: .9em; }
.chart .fill { display: block; background: var(--bar); height: 100%;
               -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.chart .n { text-align: right; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  li, tr, .chart > * { break-inside: avoid; page-break-inside: avoid; }
  section.item { break-before: auto; }
}
"""


def e(value: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return escape(str(value), quote=True)


def page(title: str, body: list[str], lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def heading(summary: Summary, prefix: str = "") -> list[str]:
    programme = summary.programme
    out = [f"<header><h1>{e(prefix + programme.title)}</h1>"]
    if programme.subtitle:
        out.append(f'<p class="subtitle">{e(programme.subtitle)}</p>')
    facts = [("Date", c.dates(programme)), ("Venue", programme.venue), ("Chairs", "; ".join(c.chairs(programme)))]
    out.append('<ul class="facts">' + "".join(f"<li><b>{k}:</b> {e(v)}</li>" for k, v in facts if v) + "</ul>")
    return out + ["</header>"]


def chart(rows: list[tuple[str, int]], label: str) -> str:
    """A horizontal bar chart in CSS: one bar per (name, count)."""
    if not rows:
        return ""
    top = max(n for _, n in rows) or 1
    cells = "".join(
        f'<span class="name">{e(name)}</span><span class="track"><span class="fill" style="width:{100 * n / top:.1f}%">'
        f'</span></span><span class="n">{n}</span>'
        for name, n in rows
    )
    return f'<div class="chart" role="img" aria-label="{e(label)}">{cells}</div>'


def exercise_table(table: CategoryTable) -> str:
    head = "".join(f'<th class="n">{e(cat)}</th>' for cat in table.categories)
    rows = [
        f"<tr><td>{e(group)}</td>"
        + "".join(f'<td class="n">{n}</td>' for n in counts)
        + f'<td class="n">{total}</td></tr>'
        for group, counts, total in zip(table.groups, table.counts, table.row_totals, strict=True)
    ]
    totals = "".join(f'<td class="n">{n}</td>' for n in table.column_totals)
    rows.append(f'<tr class="total"><td>Total</td>{totals}<td class="n">{table.total}</td></tr>')
    return (
        f'<table class="exercise"><thead><tr><th>Group</th>{head}<th class="n">Total</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _answer(answer: Answer) -> str:
    marks = c.marks(answer)
    shown = " · ".join(f'<span class="key">{e(m)}</span>' if m.startswith("★") else e(m) for m in marks)
    tail = f' <span class="marks">— {shown}</span>' if marks else ""
    if answer.conflicts:
        labels = [(c.other_version(answer, x), x.text) for x in answer.conflicts]
        others = "".join(f'<li><span class="marks">{e(label)}:</span> {e(said)}</li>' for label, said in labels)
        tail += f'<ul class="conflicts">{others}</ul>'
    return (
        f'<li class="answer" data-answer="{e(answer.id)}"><span class="answer-text">{e(answer.text)}</span>{tail}</li>'
    )


def _item(item: ItemSummary) -> list[str]:
    out = [f'<section class="item" data-item="{e(item.id)}">', f"<h2>{e(c.item_heading(item))}</h2>"]
    facts = [
        ("Planned", c.planned(item)),
        ("Actual", (c.actual(item) or "not recorded") if item.in_programme else ""),
        ("Presenters", "; ".join(str(p) for p in item.presenters)),
        ("Location", item.location),
    ]
    out.append('<ul class="facts">' + "".join(f"<li><b>{k}:</b> {e(v)}</li>" for k, v in facts if v) + "</ul>")
    if len(item.themes) > 1:
        out.append("<h3>Answers per theme</h3>")
        out.append(chart([(t.name, len(t.answers)) for t in item.themes], "answers per theme"))
    for prompt in item.prompts:
        out.append(f'<section class="prompt" data-prompt="{e(prompt.id)}"><h3>{e(c.prompt_heading(prompt))}</h3>')
        for section in c.sections(prompt):
            if section.title:
                votes = f' <span class="marks">— {c.votes(section.votes)}</span>' if section.votes else ""
                out.append(f'<h4 class="theme">{e(section.title)}{votes}</h4>')
            for group in section.groups:
                out.append(f'<div class="group" data-group="{e(group.group)}"><b>{e(group.group)}</b>')
                out.append('<ol class="answers">' + "".join(_answer(a) for a in group.answers) + "</ol></div>")
        out.append("</section>")
    if item.exercise:
        out += ["<h3>Exercise results</h3>", exercise_table(item.exercise)]
    return out + ["</section>"]


def participation(summary: Summary) -> list[str]:
    out = ["<h2>Participation</h2>", chart(c.bar_rows(summary), "answers per group")]
    if summary.silent_groups:
        out.append(f'<p class="muted"><b>Did not contribute:</b> {e(", ".join(summary.silent_groups))}</p>')
    return out


def render_notes(summary: Summary) -> str:
    """The rapporteur's notes: every answer, item by item."""
    body = heading(summary)
    body.append(f"<p>{summary.answer_count} answers from {len(summary.participation)} groups.</p>")
    if summary.participation:
        body += participation(summary)
    for item in summary.items:
        body += _item(item)
    return page(summary.programme.title, body)


def _time_table(summary: Summary) -> str:
    rows = "".join(
        f"<tr><td>{e(c.item_heading(i))}</td><td>{e(c.planned(i))}</td><td>{e(c.actual(i))}</td>"
        f'<td class="n">{e(c.delay(i.end_delay_minutes))}</td></tr>'
        for i in summary.items
        if i.in_programme
    )
    head = '<tr><th>Item</th><th>Planned</th><th>Actual</th><th class="n">End delay</th></tr>'
    return f'<table class="time"><thead>{head}</thead><tbody>{rows}</tbody></table>'


def render_summary(summary: Summary) -> str:
    """The co-chairs' summary: key points, participation, time, themes, exercise tables."""
    body = heading(summary, "Summary: ")
    line = f"{summary.answer_count} answers from {len(summary.participation)} groups"
    body.append(f"<p><b>{e(line)}</b>" + e(c.day_ran(summary.total_delay_minutes)) + "</p>")
    if summary.key_points:
        points = "".join(
            f'<li data-answer="{e(p.answer.id)}"><b>{e(p.answer.group)}:</b> '
            f'<span class="answer-text">{e(p.answer.text)}</span> '
            f'<span class="marks">— {e(p.item_title)} › {e(p.prompt)}</span></li>'
            for p in summary.key_points
        )
        body += ["<h2>Key points</h2>", f'<ol class="points">{points}</ol>']
    body += participation(summary)
    body += ["<h2>Time</h2>", _time_table(summary)]
    for item in summary.items:
        if not item.prompts:
            continue
        body.append(f'<section class="item" data-item="{e(item.id)}"><h2>{e(c.item_heading(item))}</h2>')
        for prompt in item.prompts:
            body.append(f"<h3>{e(c.prompt_heading(prompt))}</h3>")
            if prompt.themes:
                rows = [
                    (f"{t.name} ({c.votes(t.votes)}; {', '.join(t.groups)})", len(t.answers)) for t in prompt.themes
                ]
                body.append(chart(rows, "answers per theme"))
            body.append(chart([(g.group, len(g.answers)) for g in prompt.by_group], "answers per group"))
        if item.exercise:
            body += ["<h3>Exercise results</h3>", exercise_table(item.exercise)]
        body.append("</section>")
    return page("Summary: " + summary.programme.title, body)
