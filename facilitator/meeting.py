"""The meeting as the screens drive it: a programme, its notes, a clock.

`Meeting` holds the current `Notes` and replaces it through the pure
operations in `notes.py`; it adds what a person at the keyboard needs on top:
where "next item" and "next prompt" go, and undo of the last changes to the
answers. It knows nothing of Textual, so every key's effect is tested here
without a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType

from facilitator import notes as ops
from facilitator import schedule, themes
from facilitator.clock import Clock
from facilitator.groups import Roster
from facilitator.notes import Answer, ItemNotes, Notes, RunState, Theme, Timing
from facilitator.problems import plural
from facilitator.programme import Programme, Prompt, Session

UNDO_DEPTH = 200


class Meeting:
    """The running meeting: current position, answers, undo."""

    def __init__(self, programme: Programme, notes: Notes, clock: Clock) -> None:
        self.programme = programme
        self.clock = clock
        self.notes = notes
        # Undo restores the answers as they were, never the run's position or
        # times: undoing a deletion must not also move the meeting backwards.
        self._undo: list[tuple[str, dict[str, ItemNotes]]] = []
        self.changes = 0  # undoable changes made so far: the app tells each one (see `last_change`)
        if not programme.session(notes.run.session_id):
            first = programme.sessions[0]
            self.notes = ops.move_to(notes, first.id, first.prompts[0].id if first.prompts else "")

    def resume(self, notes: Notes) -> None:
        """Take the notes read from disk (after the screen showed the run state)."""
        self.notes = notes
        self._undo.clear()
        if not self.programme.session(notes.run.session_id):
            first = self.programme.sessions[0]
            self.notes = ops.move_to(notes, first.id, first.prompts[0].id if first.prompts else "")

    # -- where we are -----------------------------------------------------------

    @property
    def session(self) -> Session:
        found = self.programme.session(self.notes.run.session_id)
        assert found is not None  # guaranteed by __init__ and go_to
        return found

    @property
    def prompt(self) -> Prompt | None:
        return self.session.prompt(self.notes.run.prompt_id)

    @property
    def prompt_id(self) -> str:
        prompt = self.prompt
        return prompt.id if prompt else ""

    @property
    def item(self) -> ItemNotes:
        return self.notes.item(self.session.id)

    def answers_here(self) -> tuple[Answer, ...]:
        """Answers to the current prompt (or the item's general notes)."""
        return self.item.for_prompt(self.prompt_id)

    def roster(self) -> Roster:
        """The meeting's groups: the programme's (with their other names), then any others used."""
        return self.programme.roster(self.notes.groups_used())

    def groups(self) -> list[str]:
        """Group names to suggest: the programme's, then any others used."""
        return self.roster().names

    # -- moving through the agenda ---------------------------------------------

    def go_to(self, session_id: str, prompt_id: str | None = None) -> None:
        """Make an agenda item (and one of its prompts) current."""
        session = self.programme.session(session_id)
        if session is None:
            raise ops.NotesError(f"no agenda item '{session_id}'")
        if prompt_id is None or not session.prompt(prompt_id):
            prompt_id = session.prompts[0].id if session.prompts else ""
        self.notes = ops.move_to(self.notes, session_id, prompt_id)

    def next_item(self) -> None:
        index = self.programme.index(self.session.id)
        if index + 1 < len(self.programme.sessions):
            self.go_to(self.programme.sessions[index + 1].id)

    def previous_item(self) -> None:
        index = self.programme.index(self.session.id)
        if index > 0:
            self.go_to(self.programme.sessions[index - 1].id)

    def next_prompt(self) -> None:
        prompts = self.session.prompts
        ids = [p.id for p in prompts]
        if self.prompt_id in ids and ids.index(self.prompt_id) + 1 < len(ids):
            self.go_to(self.session.id, ids[ids.index(self.prompt_id) + 1])

    def previous_prompt(self) -> None:
        ids = [p.id for p in self.session.prompts]
        if self.prompt_id in ids and ids.index(self.prompt_id) > 0:
            self.go_to(self.session.id, ids[ids.index(self.prompt_id) - 1])

    def start_item(self) -> None:
        """Record that the current item starts now."""
        self.notes = ops.start_item(self.notes, self.session.id, self.clock.now())

    def end_item(self) -> None:
        """Record that the current item ends now."""
        self.notes = ops.end_item(self.notes, self.session.id, self.clock.now())

    # -- answers ------------------------------------------------------------------

    def _remember(self, description: str) -> None:
        """Keep the answers as they are now for undo; `description` says what the change does,
        in the past tense ("deleted Peru's answer"): the notice after it and "Undone: …" quote it."""
        self._undo.append((description, dict(self.notes.items)))
        del self._undo[:-UNDO_DEPTH]
        self.changes += 1

    @property
    def last_change(self) -> str:
        """What the latest undoable change did ("" when there is none)."""
        return self._undo[-1][0] if self._undo else ""

    def _whose(self, answer_id: str, what: str = "answer") -> str:
        found = self.notes.find(answer_id)
        return f"{found[1].group}'s {what}" if found else f"the {what}"

    def capture(self, group: str, text: str, at: dt.datetime | None = None) -> Answer:
        """Record an answer from a group to the current prompt (typed `at`, default now)."""
        group = self.roster().canonical(group)  # "peru" after "Perú" is Perú's answer, not a new group
        when = at or self.clock.now()
        notes, answer = ops.add_answer(self.notes, self.session.id, self.prompt_id, group, text, when)
        self._remember(f"captured {answer.group}'s answer")
        self.notes = notes
        return answer

    def edit(self, answer_id: str, text: str) -> None:
        notes = ops.edit_answer(self.notes, answer_id, text, self.clock.now())
        if notes is not self.notes:
            self._remember(f"edited {self._whose(answer_id)}")
            self.notes = notes

    def delete(self, answer_id: str) -> None:
        notes = ops.delete_answer(self.notes, answer_id)
        self._remember(f"deleted {self._whose(answer_id)}")
        self.notes = notes

    def move_to_group(self, answer_id: str, group: str) -> None:
        group = self.roster().canonical(group)
        notes = ops.move_answer(self.notes, answer_id, group=group)
        if notes.find(answer_id) == self.notes.find(answer_id):
            return  # its own group again: no change to save or undo
        self._remember(f"gave {self._whose(answer_id)} to {group}")
        self.notes = notes

    def move_to_prompt(self, answer_id: str, prompt_id: str) -> None:
        if not self.session.prompt(prompt_id):
            raise ops.NotesError(f"this item has no prompt '{prompt_id}'")
        notes = ops.move_answer(self.notes, answer_id, prompt_id=prompt_id)
        number = [p.id for p in self.session.prompts].index(prompt_id) + 1
        self._remember(f"moved {self._whose(answer_id)} to prompt {number}")
        self.notes = notes

    def projection(self):
        """Planned, projected and actual times of every item, as of now."""
        run, now = on_programme_days(self.programme, self.notes.run, self.clock.now())
        return schedule.project(self.programme, run, now)

    def timebox(self):
        """The countdown of the current item, as of now."""
        run, now = on_programme_days(self.programme, self.notes.run, self.clock.now())
        return schedule.timebox(self.programme, run, self.session.id, now)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str | None:
        """Put the answers back as they were before the last change.

        Returns what was undone, or None when there is nothing to undo.
        """
        if not self._undo:
            return None
        description, items = self._undo.pop()
        self.notes = replace(self.notes, items=MappingProxyType(items))
        return description

    # -- themes, votes, stars, categories (undoable like the answers) -----------

    def _here(self, session_id: str | None) -> str:
        return session_id or self.session.id

    def _theme_name(self, theme_id: str, session_id: str | None = None, notes: Notes | None = None) -> str:
        item = (notes or self.notes).item(self._here(session_id))
        return next((t.name for t in item.themes if t.id == theme_id), "?")

    def _apply(self, description: str, notes: Notes) -> None:
        """Take `notes` as the new state, remembering the old for undo, unless nothing changed."""
        if notes is not self.notes:
            self._remember(description)
            self.notes = notes

    def create_theme(self, name: str, answer_ids: Iterable[str] = (), *, session_id: str | None = None) -> Theme:
        """A theme in the current item (or `session_id`) from these answers; an existing
        theme of that name (ignoring case) gets them instead. Returns the theme.
        """
        answer_ids = (answer_ids,) if isinstance(answer_ids, str) else tuple(answer_ids)
        notes, theme = themes.create_theme(self.notes, self._here(session_id), name, answer_ids)
        self._apply(f"put {plural(len(set(answer_ids)), 'answer')} in theme “{theme.name}”", notes)
        return theme

    def add_to_theme(self, theme_id: str, answer_ids: Iterable[str], *, session_id: str | None = None) -> None:
        """Put answers in a theme of the current item, out of any other."""
        answer_ids = (answer_ids,) if isinstance(answer_ids, str) else tuple(answer_ids)
        notes = themes.add_to_theme(self.notes, self._here(session_id), theme_id, answer_ids)
        self._apply(f"added {plural(len(set(answer_ids)), 'answer')} to theme “{self._theme_name(theme_id)}”", notes)

    def remove_from_theme(self, answer_id: str, *, session_id: str | None = None) -> None:
        """Take an answer out of its theme."""
        notes = themes.remove_from_theme(self.notes, self._here(session_id), answer_id)
        self._apply(f"took {self._whose(answer_id)} out of its theme", notes)

    def rename_theme(self, theme_id: str, name: str, *, session_id: str | None = None) -> None:
        old = self._theme_name(theme_id, session_id)
        notes = themes.rename_theme(self.notes, self._here(session_id), theme_id, name)
        self._apply(f"renamed theme “{old}” to “{self._theme_name(theme_id, session_id, notes)}”", notes)

    def merge_themes(self, keep_id: str, merge_id: str, *, session_id: str | None = None) -> None:
        """Fold theme `merge_id` into `keep_id`."""
        merged, kept = self._theme_name(merge_id, session_id), self._theme_name(keep_id, session_id)
        notes = themes.merge_themes(self.notes, self._here(session_id), keep_id, merge_id)
        self._apply(f"merged theme “{merged}” into “{kept}”", notes)

    def delete_theme(self, theme_id: str, *, session_id: str | None = None) -> None:
        """Remove a theme; its answers stay, unthemed."""
        name = self._theme_name(theme_id, session_id)
        self._apply(f"deleted theme “{name}”", themes.delete_theme(self.notes, self._here(session_id), theme_id))

    def vote(self, target_id: str, delta: int = 1, *, session_id: str | None = None) -> None:
        """Add (or take away, delta < 0) votes on a theme of the current item or on any answer."""
        item = self.notes.item(self._here(session_id))
        change = f"{'+' if delta >= 0 else '−'}{plural(abs(delta), 'vote')}"
        if any(t.id == target_id for t in item.themes):
            notes = themes.vote_theme(self.notes, item.session_id, target_id, delta)
            theme = next(t for t in notes.item(item.session_id).themes if t.id == target_id)
            description = f"{change} on theme “{theme.name}” (now {theme.votes})"
        else:
            notes = themes.vote_answer(self.notes, target_id, delta)
            found = notes.find(target_id)
            now = found[1].votes if found else 0
            description = f"{change} on {self._whose(target_id)} (now {now})"
        self._apply(description, notes)

    def star(self, answer_id: str, starred: bool | None = None) -> None:
        """Star an answer as a key point (`None` toggles)."""
        notes = themes.star_answer(self.notes, answer_id, starred)
        found = notes.find(answer_id)
        done = "starred" if found and found[1].starred else "took the star off"
        self._apply(f"{done} {self._whose(answer_id)}", notes)

    def categories_of(self, answer_id: str) -> tuple[str, ...]:
        """The categories of the exercise an answer belongs to (none outside exercises)."""
        found = self.notes.find(answer_id)
        if not found:
            raise ops.NotesError(f"no answer with id {answer_id}")
        session = self.programme.session(found[0])
        return session.exercise.categories if session and session.exercise else ()

    def classify(self, answer_id: str, category: str) -> None:
        """Put an exercise answer in one of its categories, or "" for not yet classified."""
        categories = self.categories_of(answer_id)
        canonical = themes.canonical_category(category, categories)
        self._apply(
            f"filed {self._whose(answer_id, 'card')} as {canonical or 'not yet classified'}",
            themes.classify(self.notes, answer_id, canonical, categories),
        )

    def capture_card(self, group: str, text: str, category: str = "") -> Answer:
        """Capture on the exercise board: like `capture`, landing in `category` ("" = not yet classified)."""
        categories = self.session.exercise.categories if self.session.exercise else ()
        canonical = themes.canonical_category(category, categories)
        group = self.roster().canonical(group)
        notes, answer = ops.add_answer(
            self.notes, self.session.id, self.prompt_id, group, text, self.clock.now(), category=canonical
        )
        self._apply(f"captured {answer.group}'s card", notes)
        return answer


def on_programme_days(programme: Programme, run: RunState, now: dt.datetime) -> tuple[RunState, dt.datetime]:
    """Place `now` and the recorded times on the programme's own dates.

    A programme names its dates (22 May 2012), but it may be rehearsed or
    re-run on another day. The schedule compares times of day, so when today
    is not one of the programme's dates, `now` is put on the current item's
    date and every recorded time on its item's date, keeping the time of day.
    """
    if now.date() in programme.dates:
        return run, now
    current = programme.session(run.session_id)
    day = current.date if current else programme.dates[0]
    timings = {}
    for session_id, timing in run.timings.items():
        session = programme.session(session_id)
        if session is None:
            continue
        timings[session_id] = Timing(
            *(dt.datetime.combine(session.date, t.time()) if t else None for t in (timing.started_at, timing.ended_at))
        )
    return replace(run, timings=MappingProxyType(timings)), dt.datetime.combine(day, now.time())
