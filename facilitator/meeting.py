"""The meeting as the screens drive it: a programme, its notes, a clock.

`Meeting` holds the current `Notes` and replaces it through the pure
operations in `notes.py`, `themes.py` and `agenda.py`; it adds what a person
at the keyboard needs on top: where "next item" and "next prompt" go, which
item is running (and which is only on screen), and undo of the last changes.
It knows nothing of Textual, so every key's effect is tested here without a
terminal.

Two items matter at once. The item *on screen* (`session`) is the one the
rapporteur reads and captures into; the item *running* (`running`) is the one
started and not ended, and it alone drives the clock: the countdown, the
lateness, the projection and the projector. Starting the item on screen ends
the one running at the same minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from types import MappingProxyType

from facilitator import agenda, schedule, themes
from facilitator import floor as floor_ops
from facilitator import notes as ops
from facilitator.clock import Clock
from facilitator.groups import Roster, group_key
from facilitator.notes import AgendaChange, Answer, Floor, ItemNotes, Notes, Rehearsal, RunState, Theme, Timing
from facilitator.problems import plural
from facilitator.programme import Programme, Prompt, Session

UNDO_DEPTH = 200


class Meeting:
    """The running meeting: what is on screen, what is running, the answers, undo."""

    def __init__(self, programme: Programme, notes: Notes, clock: Clock, rehearsal: Rehearsal | None = None,
                 live: bool | None = None) -> None:
        self.planned = programme  # the programme file's agenda; `programme` is the agenda as run
        self.clock = clock
        self._notes = notes
        # Called after every change to the notes: the app saves there, in one place, so no
        # screen has to remember to (see FacilitatorApp.notes_changed).
        self.on_change: Callable[[], None] | None = None
        # A run says in its notes whether it is a rehearsal (and on which clock), so the
        # projector follows its time and the exports say REHEARSAL: `rehearsal` for a
        # rehearsal, `live=True` for a live run; neither keeps what the notes say.
        self.rehearsal = rehearsal
        self.live = live
        # Undo takes back the last change (answers, themes, times recorded, the
        # agenda), never the position on screen: undoing a deletion must not
        # also move the rapporteur to another item.
        self._undo: list[tuple[str, dict[str, ItemNotes], RunState]] = []
        self.changes = 0  # undoable changes made so far: the app tells each one (see `last_change`)
        self._as_run: tuple[tuple[AgendaChange, ...], agenda.AgendaAsRun] | None = None
        self._keep_on_agenda()

    def resume(self, notes: Notes) -> None:
        """Take the notes read from disk (after the screen showed the run state)."""
        self.notes = notes
        self._undo.clear()
        self._keep_on_agenda()

    def _keep_on_agenda(self) -> None:
        """The item on screen must be on the agenda as run (one dropped since, or unknown: the first item);
        the run is marked as this run is (a rehearsal or live)."""
        if (self.rehearsal is not None or self.live) and self.notes.run.rehearsal != self.rehearsal:
            self.notes = self.notes.with_run(rehearsal=self.rehearsal)
        if not self.programme.session(self.notes.run.session_id):
            # A new run starts on the first item of the day the clock says, if it is one of the
            # programme's days (day 2 of a meeting, or its rehearsal), else on the first item.
            today = self.clock.now().date()
            sessions = self.programme.sessions
            first = next((s for s in sessions if s.date == today), sessions[0])
            self.notes = ops.move_to(self.notes, first.id, first.prompts[0].id if first.prompts else "")

    @property
    def notes(self) -> Notes:
        """Everything the run holds; every change replaces it (and is announced to `on_change`)."""
        return self._notes

    @notes.setter
    def notes(self, value: Notes) -> None:
        changed = value is not self._notes
        self._notes = value
        if changed and self.on_change is not None:
            self.on_change()

    # -- the agenda as run ---------------------------------------------------------

    @property
    def agenda(self) -> agenda.AgendaAsRun:
        """The programme with the day's changes (kept with the notes, see `facilitator.agenda`)."""
        changes = self.notes.run.changes
        if self._as_run is None or self._as_run[0] is not changes:
            self._as_run = (changes, agenda.as_run(self.planned, changes))
        return self._as_run[1]

    @property
    def programme(self) -> Programme:
        """The agenda as it runs today: items added, dropped, moved, retimed, prompts added."""
        return self.agenda.programme

    @property
    def is_rehearsal(self) -> bool:
        return self.notes.run.rehearsal is not None

    # -- where we are -----------------------------------------------------------

    @property
    def session(self) -> Session:
        """The item on screen."""
        found = self.programme.session(self.notes.run.session_id)
        assert found is not None  # guaranteed by _keep_on_agenda and go_to
        return found

    @property
    def prompt(self) -> Prompt | None:
        return self.session.prompt(self.notes.run.prompt_id)

    @property
    def prompt_id(self) -> str:
        prompt = self.prompt
        return prompt.id if prompt else ""

    @property
    def running(self) -> Session | None:
        """The item started and not ended: the one the clock follows (None between items)."""
        return self.programme.session(self.notes.run.running)

    @property
    def viewing_another(self) -> bool:
        """Whether the item on screen is not the one running (read ahead, or looked back at)."""
        running = self.running
        return running is not None and running.id != self.session.id

    @property
    def room_prompt(self) -> Prompt | None:
        """The prompt shown to the room: the running item's, as last shown while it was on screen."""
        running = self.running
        if running is None:
            return None
        return running.prompt(self.notes.run.room_prompt_id) or (running.prompts[0] if running.prompts else None)

    @property
    def item(self) -> ItemNotes:
        return self.notes.item(self.session.id)

    def answers_here(self) -> tuple[Answer, ...]:
        """Answers to the current prompt (or the item's general notes)."""
        return self.item.for_prompt(self.prompt_id)

    def roster(self) -> Roster:
        """The meeting's groups: the programme's (with their other names), then any others used
        (answers, the speakers' list, the roll call)."""
        run = self.notes.run
        others = [*self.notes.groups_used(), *run.speakers, *(m.group for m in run.attendance)]
        if run.floor is not None:
            others.append(run.floor.group)
        return self.programme.roster(others)

    def groups(self) -> list[str]:
        """Group names to suggest: the programme's, then any others used."""
        return self.roster().names

    # -- moving through the agenda ---------------------------------------------

    def go_to(self, session_id: str, prompt_id: str | None = None) -> None:
        """Put an agenda item (and one of its prompts) on screen; on the running item, the prompt
        is also the one shown to the room."""
        session = self.programme.session(session_id)
        if session is None:
            raise ops.NotesError(f"no agenda item '{session_id}'")
        if prompt_id is None or not session.prompt(prompt_id):
            prompt_id = session.prompts[0].id if session.prompts else ""
        self.notes = ops.move_to(self.notes, session_id, prompt_id)
        if session_id == self.notes.run.running and prompt_id != self.notes.run.room_prompt_id:
            self.notes = self.notes.with_run(room_prompt_id=prompt_id)

    def next_item(self) -> None:
        index = self.programme.index(self.session.id)
        if index + 1 < len(self.programme.sessions):
            self.go_to(self.programme.sessions[index + 1].id)

    def previous_item(self) -> None:
        index = self.programme.index(self.session.id)
        if index > 0:
            self.go_to(self.programme.sessions[index - 1].id)

    def go_to_running(self) -> None:
        """Back to the item running, at the prompt the room sees."""
        running = self.running
        if running is None:
            raise ops.NotesError("no item is running: s starts the item on screen")
        self.go_to(running.id, self.notes.run.room_prompt_id or None)

    def next_prompt(self) -> None:
        prompts = self.session.prompts
        ids = [p.id for p in prompts]
        if self.prompt_id in ids and ids.index(self.prompt_id) + 1 < len(ids):
            self.go_to(self.session.id, ids[ids.index(self.prompt_id) + 1])

    def previous_prompt(self) -> None:
        ids = [p.id for p in self.session.prompts]
        if self.prompt_id in ids and ids.index(self.prompt_id) > 0:
            self.go_to(self.session.id, ids[ids.index(self.prompt_id) - 1])

    # -- times: what runs when -----------------------------------------------------

    def start_item(self) -> None:
        """Start the item on screen now; the item running until now ends at the same minute."""
        session, now = self.session, self.clock.now()
        running = self.running
        notes = self.notes
        if running is not None and running.id != session.id:
            notes = floor_ops.yield_floor(notes, now)  # the item ends: so does the intervention in it
        notes = ops.start_item(notes, session.id, now)
        notes = notes.with_run(room_prompt_id=self.prompt_id)
        if running is not None and running.id != session.id:
            self._remember(f"started “{session.title}” at {now:%H:%M}, ending “{running.title}”")
        else:
            self._remember(f"started “{session.title}” at {now:%H:%M}")
        self.notes = notes

    def start_next(self) -> None:
        """The room moves on: the next item (after the one running) is put on screen and starts now."""
        upcoming = next((s for s in self.projection().slots if s.status == "next"), None)
        if upcoming is None:
            raise ops.NotesError("no item left to start: the day's agenda is done")
        self.go_to(upcoming.session_id)
        self.start_item()

    def room_prompt_step(self, step: int) -> None:
        """The next (+1) or previous (-1) prompt of the item running, as shown to the room (and on screen)."""
        running = self.running
        if running is None:
            raise ops.NotesError("no item is running: n starts the next one")
        ids = [p.id for p in running.prompts]
        current = self.room_prompt
        at = ids.index(current.id) if current else 0
        if 0 <= at + step < len(ids):
            self.go_to(running.id, ids[at + step])
        else:
            self.go_to(running.id, current.id if current else None)

    def end_item(self) -> None:
        """End the item running now (whatever is on screen): a break the room takes early, the day's end."""
        running = self.running
        if running is None:
            raise ops.NotesError("no item is running: s starts the item on screen")
        now = self.clock.now()
        self._remember(f"ended “{running.title}” at {now:%H:%M}")
        self.notes = ops.end_item(floor_ops.yield_floor(self.notes, now), running.id, now)

    # -- the agenda on the day (undoable like the answers) --------------------------

    def _change_agenda(self, description: str, change: AgendaChange) -> None:
        changes = agenda.change(self.planned, self.notes.run.changes, change)
        self._remember(description)
        self.notes = self.notes.with_run(changes=changes)
        self._keep_on_agenda()

    def add_item(self, title: str, kind: str = "discussion", after: str | None = None,
                 start: dt.time | None = None, duration: int | None = None) -> Session:
        """Insert an item after `after` (default: the item on screen); returns it."""
        after_id = self.session.id if after is None else after
        taken = [s.id for s in self.programme.sessions] + [s.id for s in self.agenda.dropped]
        taken += [s.id for s in self.planned.sessions]
        new_id = agenda.new_id(title, taken)
        anchor = self.programme.session(after_id) if after_id else None
        date = anchor.date if anchor else self.session.date
        change = AgendaChange("add", new_id, self.clock.now(), after=after_id, title=" ".join(title.split()),
                              item_kind=kind, date=date, start=start, duration=duration)
        self._change_agenda(f"added “{change.title}”", change)
        found = self.programme.session(new_id)
        assert found is not None
        return found

    def drop_item(self, session_id: str) -> None:
        """Take an item off the agenda as run (its notes stay, and it can be restored)."""
        session = self._on_agenda(session_id)
        if session.id == self.notes.run.running:
            raise ops.NotesError(f"“{session.title}” is running: end it (x) before dropping it")
        self._change_agenda(f"dropped “{session.title}”", AgendaChange("drop", session.id, self.clock.now()))

    def restore_item(self, session_id: str, after: str | None = None) -> None:
        """Put a dropped item back, after `after` (default: where the programme had it)."""
        dropped = next((s for s in self.agenda.dropped if s.id == session_id), None)
        if dropped is None:
            raise ops.NotesError(f"'{session_id}' is not a dropped item")
        if after is None:
            after = self._planned_predecessor(session_id)
        change = AgendaChange("restore", session_id, self.clock.now(), after=after)
        self._change_agenda(f"restored “{dropped.title}”", change)

    def move_item(self, session_id: str, after: str) -> None:
        """Move an item to follow `after` ("" = first of its day)."""
        session = self._on_agenda(session_id)
        change = AgendaChange("move", session.id, self.clock.now(), after=after)
        where = f"after “{self._on_agenda(after).title}”" if after else "to the start of its day"
        self._change_agenda(f"moved “{session.title}” {where}", change)

    def retime_item(self, session_id: str, start: dt.time | None, duration: int | None) -> None:
        """Give an item another planned start (None: it follows the item before) and length (None: shared)."""
        session = self._on_agenda(session_id)
        change = AgendaChange("retime", session.id, self.clock.now(), start=start, duration=duration)
        when = f"{start:%H:%M}" if start else "after the item before"
        length = f", {duration} min" if duration is not None else ""
        self._change_agenda(f"retimed “{session.title}”: {when}{length}", change)

    def add_prompt(self, text: str, session_id: str | None = None) -> Prompt:
        """A question from the floor: a new prompt of the item (default: the item on screen)."""
        session = self._on_agenda(session_id or self.session.id)
        prompt_id = agenda.new_id(text, [p.id for p in session.prompts], fallback="prompt")
        change = AgendaChange("prompt", session.id, self.clock.now(), prompt_id=prompt_id, text=" ".join(text.split()))
        self._change_agenda(f"added a prompt to “{session.title}”", change)
        added = self._on_agenda(session.id).prompt(prompt_id)
        assert added is not None
        return added

    def _on_agenda(self, session_id: str) -> Session:
        found = self.programme.session(session_id)
        if found is None:
            raise ops.NotesError(f"no agenda item '{session_id}' on the agenda as it runs")
        return found

    def _planned_predecessor(self, session_id: str) -> str:
        """The item before `session_id` in the programme that is still on the agenda ("" for none)."""
        ids = [s.id for s in self.planned.sessions]
        if session_id in ids:
            for before in reversed(ids[: ids.index(session_id)]):
                if self.programme.session(before):
                    return before
        return ""
    # -- the floor: speakers' list, speaking time, roll call (undoable) --------------

    @property
    def floor(self) -> Floor | None:
        """The delegation speaking now, or None."""
        return self.notes.run.floor

    @property
    def speakers(self) -> tuple[str, ...]:
        """The speakers' list: the delegations waiting for the floor, in order."""
        return self.notes.run.speakers

    def speaking(self) -> floor_ops.SpeakingTime | None:
        """The speaking timer of the delegation on the floor, as of now (None when no one has it)."""
        held = self.floor
        return floor_ops.speaking(held, self.clock.now()) if held is not None else None

    def speaking_seconds(self) -> int:
        """The time per intervention where the floor is given now (the programme's `speaking_time`)."""
        return self.programme.speaking_seconds(self._floor_item())

    def _floor_item(self) -> Session:
        """Where the floor is given: the item running, else the item on screen."""
        return self.running or self.session

    def _said_on_floor(self, group: str) -> str:
        """The intervention an answer from `group` is part of: the one on the floor, if it is that group's."""
        held = self.floor
        return held.intervention_id if held is not None and group_key(held.group) == group_key(group) else ""

    def ask_for_floor(self, group: str, at: int | None = None) -> str:
        """Put a delegation on the speakers' list (at place `at`, 0 first; default last); returns its name."""
        name = self.roster().canonical(group)
        notes = floor_ops.ask(self.notes, name, at)
        place = len(self.speakers) if at is None else max(0, min(at, len(self.speakers)))
        self._apply(f"put {name} on the speakers' list ({_ordinal(place + 1)})", notes)
        return name

    def remove_speaker(self, index: int) -> None:
        """Take the delegation at `index` off the speakers' list."""
        name = self._speaker(index)
        self._apply(f"took {name} off the speakers' list", floor_ops.withdraw(self.notes, index))

    def move_speaker(self, index: int, to: int) -> None:
        """Move the delegation at `index` to place `to` of the speakers' list."""
        name = self._speaker(index)
        to = max(0, min(to, len(self.speakers) - 1))
        if to != index:
            self._apply(f"moved {name} to {_ordinal(to + 1)} on the speakers' list",
                        floor_ops.move_speaker(self.notes, index, to))

    def _speaker(self, index: int) -> str:
        if not 0 <= index < len(self.speakers):
            raise ops.NotesError("the speakers' list is empty" if not self.speakers else "no such place on the list")
        return self.speakers[index]

    def give_floor(self, group: str | None = None, index: int | None = None) -> None:
        """Give the floor to `group`, or to the delegation at `index` of the speakers' list (taking it
        off the list); the delegation speaking yields it."""
        notes = self.notes
        if index is not None:
            group = self._speaker(index)
            notes = floor_ops.withdraw(notes, index)
        if group is None:
            raise ops.NotesError("give the floor to whom? name a delegation")
        name = self.roster().canonical(group)
        now, item = self.clock.now(), self._floor_item()
        notes = floor_ops.give_floor(notes, name, item.id, now, self.programme.speaking_seconds(item))
        self._apply(self._yielding(f"gave the floor to {name} at {now:%H:%M}"), notes)

    def next_speaker(self) -> None:
        """The first delegation on the speakers' list takes the floor; with the list empty, the
        delegation speaking yields it."""
        if self.speakers:
            self.give_floor(index=0)
        elif self.floor is not None:
            self.yield_floor()
        else:
            raise ops.NotesError("the speakers' list is empty: add the delegations that ask for the floor")

    def yield_floor(self) -> None:
        """The delegation speaking yields the floor now."""
        held = self.floor
        if held is None:
            raise ops.NotesError("no one has the floor")
        spoke = floor_ops.speaking(held, self.clock.now())
        self._apply(f"{held.group} yielded the floor after {floor_ops.clock_text(spoke.elapsed)}",
                    floor_ops.yield_floor(self.notes, self.clock.now()))

    def _yielding(self, description: str) -> str:
        held = self.floor
        if held is None:
            return description
        spoke = floor_ops.speaking(held, self.clock.now())
        return f"{description} ({held.group} spoke {floor_ops.clock_text(spoke.elapsed)})"

    def extend_floor(self, seconds: int = floor_ops.EXTENSION) -> None:
        """More time for the delegation speaking (one minute per press)."""
        held = self.floor
        if held is None:
            raise ops.NotesError("no one has the floor: there is no speaking time to extend")
        notes = floor_ops.extend(self.notes, seconds)
        given = floor_ops.speaking(notes.run.floor, self.clock.now()).given  # type: ignore[arg-type]
        self._apply(f"gave {held.group} {floor_ops.clock_text(seconds)} more ({given.removeprefix('of ')})", notes)

    def mark_present(self, group: str, present: bool = True) -> str:
        """A roll-call mark for `group` now: in the room, or gone; returns the group's name."""
        name = self.roster().canonical(group)
        notes = floor_ops.mark(self.notes, name, present, self.clock.now(), self._floor_item().id)
        self._apply(f"marked {name} {'present' if present else 'not present'}", notes)
        return name

    def in_room(self) -> dict[str, bool]:
        """Today's roll call as it stands: group key -> present (True) or left (False)."""
        day = self._floor_item().date
        return floor_ops.in_room(self.notes.run.attendance, day, self.day_of)

    def day_of(self, presence) -> dt.date:
        """The meeting day a roll-call mark belongs to: its item's."""
        session = self.programme.session(presence.session_id) or self.planned.session(presence.session_id)
        return session.date if session is not None else presence.at.date()

    # -- answers ------------------------------------------------------------------

    def _remember(self, description: str) -> None:
        """Keep the answers and the run's record (times, agenda) as they are now for undo;
        `description` says what the change does, in the past tense ("deleted Peru's answer"):
        the notice after it and "Undone: …" quote it."""
        self._undo.append((description, dict(self.notes.items), self.notes.run))
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
        notes, answer = ops.add_answer(self.notes, self.session.id, self.prompt_id, group, text, when,
                                       intervention=self._said_on_floor(group))
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
        """Planned, projected and actual times of every item, as of now (the item running drives it)."""
        run, now = on_programme_days(self.programme, self.notes.run, self.clock.now())
        return schedule.project(self.programme, run, now)

    def timebox(self, session_id: str | None = None):
        """The countdown of an item (default: the one running, else the one on screen), as of now."""
        run, now = on_programme_days(self.programme, self.notes.run, self.clock.now())
        running = self.running
        target = session_id or (running.id if running else self.session.id)
        return schedule.timebox(self.programme, run, target, now)

    def whereabouts(self, projection) -> str:
        """The top line's words for where the meeting is: the item running and its countdown, and the
        item on screen when it is another ("viewing 15:00 Monitoring · ▶ Coordination 12:03 left")."""
        running = self.running
        if running is not None:
            here = f"▶ {running.title} · {self.timebox(running.id).label()}"
        else:
            upcoming = next((s for s in projection.slots if s.status == "next"), None)
            here = "nothing running"
            if upcoming is not None:
                session = self.programme.session(upcoming.session_id)
                if session is not None:
                    here += f" · next: {session.title} at {upcoming.projected_start:%H:%M}"
        viewed = self.session
        if running is not None and running.id == viewed.id:
            return here
        slot = projection.slot(viewed.id)
        return f"viewing {slot.projected_start:%H:%M} {viewed.title} · {here}"

    def viewed_timebox(self, projection) -> tuple[str, str]:
        """The countdown badge of the item on screen: its countdown when it runs; when it does not,
        its times (planned, projected, or as it ran), never a countdown of its own."""
        viewed = self.session
        if self.running is not None and self.running.id == viewed.id:
            box = self.timebox(viewed.id)
            return box.label(), box.state
        slot = projection.slot(viewed.id)
        if slot.actual_end is not None and slot.actual_start is not None:
            return f"ran {slot.actual_start:%H:%M}–{slot.actual_end:%H:%M}", "ended"
        planned = f"{slot.planned_start:%H:%M}–{slot.planned_end:%H:%M}"
        if slot.projected_start != slot.planned_start:
            return f"{planned} → {slot.projected_start:%H:%M}", "not started"
        return f"{planned} planned", "not started"

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str | None:
        """Put the answers back as they were before the last change.

        Returns what was undone, or None when there is nothing to undo.
        """
        if not self._undo:
            return None
        description, items, run = self._undo.pop()
        now = self.notes.run  # the position on screen stays where it is
        run = replace(run, session_id=now.session_id, prompt_id=now.prompt_id)
        self.notes = replace(self.notes, items=MappingProxyType(items), run=run)
        self._keep_on_agenda()
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
            self.notes, self.session.id, self.prompt_id, group, text, self.clock.now(), category=canonical,
            intervention=self._said_on_floor(group),
        )
        self._apply(f"captured {answer.group}'s card", notes)
        return answer


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def on_programme_days(programme: Programme, run: RunState, now: dt.datetime) -> tuple[RunState, dt.datetime]:
    """Place `now` and the recorded times on the programme's own dates.

    A programme names its dates (22 May 2012), but it may be rehearsed or
    re-run on another day. The schedule compares times of day, so when today
    is not one of the programme's dates, `now` is put on the current item's
    date and every recorded time on its item's date, keeping the time of day.
    """
    if now.date() in {s.date for s in programme.sessions}:
        return run, now
    # The day the meeting is on: the running item's, else the first item not yet ended after
    # the furthest one with recorded times (as the projection anchors), else the first day.
    sessions = programme.sessions
    reached = [i for i, s in enumerate(sessions) if run.timing(s.id).started_at or run.timing(s.id).ended_at]
    after = max(reached, default=-1)
    running = programme.session(run.running)
    following = next((s for s in sessions[after + 1 :] if run.timing(s.id).ended_at is None), None)
    current = running or following or (sessions[after] if reached else None)
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
