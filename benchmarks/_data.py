"""Realistic notes for the benchmarks: N answers from the programme's groups.

Deterministic (seeded), built from the real domain objects and written with the
app's own `NotesFolder.save`, so the files are exactly what a run would leave.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from facilitator.notes import Answer, ItemNotes, Notes, RunState, Timing
from facilitator.programme import Programme
from facilitator.store import NotesFolder

DAY = dt.date(2012, 5, 22)
CURRENT = ("coordination", "challenges")  # the prompt being captured in the capture benchmark
RESUME = ("monitoring", "measurement")  # where the 5,000-answer start-up resumes

# Where the day's talking happens, and roughly how it is shared out.
SESSION_WEIGHTS = {"coordination": 0.55, "monitoring": 0.45}
SESSION_WINDOWS = {
    "coordination": ("10:15", "13:00"),
    "monitoring": ("15:00", "17:00"),
    "monitoring-exercise": ("17:00", "18:00"),  # the exercise board (views benchmark)
}
EXERCISE = ("monitoring-exercise", "indicators")  # the exercise board's item and its one prompt

# Theme names a facilitator might give the coordination answers (the views benchmark clusters into these).
_THEMES = """
Funding and donors|Focal point in government|Data collection|Inter-ministerial committee|Survivor participation
Rehabilitation services|Psychosocial support|Livelihoods and employment|Inclusive education|Rural access
Transport costs|Legislation and policy|CRPD ratification|Accessibility|Stigma and awareness
Capacity and training|Staff retention|National ownership|Provincial coordination|Civil society role
Reporting under Article 7|Needs assessment|Referral pathways|Gender and age|Emergency medical care
"""
THEME_NAMES = [name for line in _THEMES.split("\n") if line for name in line.split("|")]

_WORDS = """
survivors victim assistance national plan ministry health social affairs coordination
focal point disability rights convention data collection needs assessment rehabilitation
prosthetics orthotics physiotherapy psychosocial support peer counselling livelihoods
employment education inclusion rural areas access services referral budget funding
donors international cooperation NGOs ICRC Handicap International ICBL community
monitoring indicators baseline survey database reporting Article 7 transparency
Cartagena Action Plan action implementation capacity training staff retention
sustainability ownership government committee inter-ministerial meeting quarterly
provincial district level local authorities civil society organisations survivors'
associations participation decision-making women girls boys men age gender diversity
emergency medical care first aid transport costs distance centres mobile outreach
legislation policy framework CRPD ratification accessibility buildings roads stigma
awareness families caregivers income generation microcredit vocational schools
teachers health workers referral pathways follow-up case management registry
""".split()  # noqa: SIM905 - a list literal of 120 words reads worse

# A few answers need escaping in TOML or are not ASCII, as real notes are.
_ODD = ["Ministère de la Santé", 'the so-called "one-stop shop"', "Moçambique's plan", "CRPD Art. 26 — habilitation"]


@dataclass(frozen=True)
class Layout:
    """How answers are spread: `same` puts `share` of them on the current prompt."""

    kind: str  # "spread" | "same"
    share: float = 0.95


def _hm(value: str) -> dt.datetime:
    hours, minutes = map(int, value.split(":"))
    return dt.datetime.combine(DAY, dt.time(hours, minutes))


def _text(rng: random.Random) -> str:
    count = int(rng.triangular(5, 40, 14))
    words = [rng.choice(_WORDS) for _ in range(count)]
    if rng.random() < 0.04:
        words.insert(rng.randrange(len(words)), rng.choice(_ODD))
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _group_weights(rng: random.Random, groups: tuple[str, ...]) -> tuple[list[str], list[float]]:
    # Some delegations speak far more than others: Zipf-like weights, shuffled.
    names = list(groups)
    rng.shuffle(names)
    return names, [1 / (rank + 1) ** 0.8 for rank in range(len(names))]


def make_notes(
    programme: Programme,
    count: int,
    layout: Layout,
    current: tuple[str, str],
    seed: int = 2012,
    sessions: dict[str, float] | None = None,
) -> Notes:
    """`count` answers over the coordination and monitoring prompts and the programme's groups."""
    rng = random.Random(seed * 100_003 + count)
    names, weights = _group_weights(rng, programme.groups)
    slots: list[tuple[str, str]] = []  # (session id, prompt id) for each answer
    prompt_weights: list[tuple[tuple[str, str], float]] = []
    sessions = sessions or SESSION_WEIGHTS
    for session_id, share in sessions.items():
        prompts = programme.session(session_id).prompts
        # Earlier prompts get more time in the room.
        raw = [1.0 / (1 + 0.35 * i) for i in range(len(prompts))]
        total = sum(raw)
        prompt_weights += [((session_id, p.id), share * w / total) for p, w in zip(prompts, raw, strict=True)]
    choices, probs = zip(*prompt_weights, strict=True)
    if layout.kind == "same":
        on_current = round(count * layout.share)
        slots = [current] * on_current + rng.choices(choices, probs, k=count - on_current)
    else:
        slots = rng.choices(choices, probs, k=count)

    by_session: dict[str, list[Answer]] = {}
    used: set[str] = set()
    for session_id in sessions:
        mine = [s for s in slots if s[0] == session_id]
        if not mine:
            continue
        prompt_order = [p.id for p in programme.session(session_id).prompts]
        mine.sort(key=lambda s: prompt_order.index(s[1]))  # prompts are taken in order
        start, end = (_hm(t) for t in SESSION_WINDOWS[session_id])
        span = (end - start).total_seconds()
        stamps = sorted(rng.uniform(0, span) for _ in mine)
        answers = []
        for (_, prompt_id), offset in zip(mine, stamps, strict=True):
            answer_id = f"a-{rng.getrandbits(40):010x}"
            while answer_id in used:
                answer_id = f"a-{rng.getrandbits(40):010x}"
            used.add(answer_id)
            answers.append(
                Answer(
                    id=answer_id,
                    prompt_id=prompt_id,
                    group=rng.choices(names, weights)[0],
                    text=_text(rng),
                    captured_at=start + dt.timedelta(seconds=int(offset)),
                )
            )
        by_session[session_id] = answers

    items = {sid: ItemNotes(sid, tuple(answers)) for sid, answers in by_session.items()}
    session_id, prompt_id = current
    timings = {"opening": Timing(_hm("10:00"), _hm("10:16"))}
    if session_id == "coordination":
        timings["coordination"] = Timing(_hm("10:16"))
    else:
        timings["coordination"] = Timing(_hm("10:16"), _hm("13:05"))
        timings["lunch"] = Timing(_hm("13:05"), _hm("15:00"))
        timings[session_id] = Timing(_hm("15:02"))
    run = RunState(programme.id, session_id, prompt_id, MappingProxyType(timings))
    return Notes(run, MappingProxyType(items))


def write_folder(path: Path, programme: Programme, notes: Notes) -> Path:
    """Write `notes` as a notes folder with the app's own writer."""
    NotesFolder(path, programme.id).save(notes)
    return path


def extra_answer(notes: Notes, session_id: str, prompt_id: str, n: int) -> Notes:
    """The same notes with one more answer on an item (a new `ItemNotes` object)."""
    item = notes.item(session_id)
    answer = Answer(
        id=f"a-bench{n:05d}",
        prompt_id=prompt_id,
        group="Cambodia",
        text=f"Benchmark answer number {n} about the national focal point for disability",
        captured_at=_hm("12:59"),
    )
    return notes.with_item(ItemNotes(session_id, item.answers + (answer,), item.themes))


def cluster(notes: Notes, session_id: str, themes: int, share: float = 0.8, seed: int = 2012) -> Notes:
    """`share` of an item's answers clustered into `themes` themes (Zipf-like sizes), as a facilitator leaves them.

    Made with the app's own `themes.create_theme`, so the themes keep its rules
    (an answer in one theme, unique names); the rest stay unthemed.
    """
    from facilitator import themes as ops

    rng = random.Random(seed * 7 + len(notes.item(session_id).answers))
    names = THEME_NAMES[:themes] + [f"Theme {k}" for k in range(len(THEME_NAMES), themes)]
    weights = [1 / (rank + 1) ** 0.7 for rank in range(themes)]
    members: dict[str, list[str]] = {name: [] for name in names}
    for answer in notes.item(session_id).answers:
        if rng.random() < share:
            members[rng.choices(names, weights)[0]].append(answer.id)
    for k, (name, ids) in enumerate(members.items()):
        notes, _ = ops.create_theme(notes, session_id, name, ids, make_id=lambda k=k: f"t-bench{k:03d}")
    return notes


def exercise_notes(programme: Programme, count: int, mix: dict[str, float], seed: int = 2012) -> Notes:
    """`count` cards on the exercise board from the programme's groups, classified per `mix` ({category: share},
    "" = not yet classified); the run is at the exercise, the monitoring discussion over."""
    session_id, prompt_id = EXERCISE
    notes = make_notes(programme, count, Layout("same", share=1.0), EXERCISE, seed, sessions={session_id: 1.0})
    rng = random.Random(seed * 11 + count)
    categories, shares = zip(*mix.items(), strict=True)
    item = notes.item(session_id)
    cards = tuple(replace(a, category=rng.choices(categories, shares)[0]) for a in item.answers)
    timings = dict(notes.run.timings)
    timings["monitoring"] = Timing(_hm("15:02"), _hm("16:58"))
    timings[session_id] = Timing(_hm("16:58"))
    run = replace(notes.run, timings=MappingProxyType(timings))
    return replace(notes.with_item(replace(item, answers=cards)), run=run)
