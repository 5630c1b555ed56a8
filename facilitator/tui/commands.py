"""The command palette (Ctrl+P): every action by name, and every agenda item."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from facilitator.tui import literal

if TYPE_CHECKING:
    from facilitator.tui.app import FacilitatorApp

# A hit's help is drawn as markup by Textual: it quotes titles and paths, so it goes through `literal`.

# (title, action on the run screen, help) — the same actions the keys run.
ACTIONS = [
    ("Add an answer", "capture", "Focus the capture bar"),
    ("Next agenda item", "next_item", "Show the next item"),
    ("Previous agenda item", "previous_item", "Show the previous item"),
    ("Next prompt", "next_prompt", "Show the next question of this item"),
    ("Previous prompt", "previous_prompt", "Show the previous question of this item"),
    ("Start this item", "start_item", "Record that the current item starts now"),
    ("End this item", "end_item", "Record that the current item ends now"),
    ("Edit the selected answer", "edit", "Change its text"),
    ("Delete the selected answer", "delete", "Remove it (undo brings it back)"),
    ("Undo", "undo", "Undo the last change to the answers"),
    ("Give the selected answer to another group", "move_group", "Change its group or delegation"),
    ("Move the selected answer to another prompt", "move_prompt", "Attach it to another question"),
    ("Open the exercise board", "exercise_board", "Classify the cards by category (an exercise item)"),
    ("Themes: switch between answers by group and by theme", "toggle_view", "The board's two views"),
    ("Put the selected answers in a theme", "theme", "Cluster"),
    ("Filter the answers", "filter", "By text, group or theme"),
    ("Sort by votes", "sort_votes", "Or back to the order of capture"),
    ("Projector view", "projector", "For the room: clock, item, prompt, countdown (F5; b blanks it)"),
    ("Agenda: insert, drop, move or retime an item, add a prompt", "agenda", "The agenda as it runs today (A)"),
    ("Back to the item running", "go_to_running", "Where the room is"),
    ("Speakers' list: delegations asking for the floor", "speakers", "Add, insert, move, remove, give the floor (F4)"),
    ("Next speaker: the first on the list takes the floor", "next_speaker", "The speaker's intervention ends (F6)"),
    ("One minute more for the speaker", "extend_floor", "Extend the speaking time (F7)"),
    ("End the speaker's intervention", "yield_floor", "No one has the floor (F8)"),
    ("Roll call: who is in the room", "roll_call", "One key per delegation (P)"),
]


class MeetingCommands(Provider):
    """Actions and 'Go to' commands for the run screen."""

    @property
    def facilitator(self) -> FacilitatorApp:
        return cast("FacilitatorApp", self.app)

    def _commands(self) -> list[tuple[str, object, str]]:
        from facilitator.problems import plural
        from facilitator.tui.screens.run import RunScreen

        screen = self.screen
        if not isinstance(screen, RunScreen):
            return []
        out: list[tuple[str, object, str]] = [
            (title, partial(screen.run_action, action), text) for title, action, text in ACTIONS
        ]
        out.append(("Help: all keys", self.facilitator.action_help, "List every key"))
        out.append(("Review: the co-chairs' summary of the day so far", screen.action_review, "read-only"))
        from facilitator.exporters import FORMATS

        for name, fmt in FORMATS.items():
            if fmt.notes:
                out.append((f"Export the notes as {fmt.description} (.{name})", partial(self.facilitator.export, name),
                            f"to {self.facilitator.exports_folder}"))
            if fmt.summary and name != "text":
                out.append((f"Export the co-chairs' summary as {fmt.description} (.{name})",
                            partial(self.facilitator.export, name, True), f"to {self.facilitator.exports_folder}"))
        meeting = self.facilitator.meeting
        for session in meeting.programme.sessions:
            start = f"{session.start:%H:%M} " if session.start else ""
            out.append((f"Go to: {start}{session.title}", partial(screen.action_go_to, session.id),
                        f"{session.kind}, {plural(len(session.prompts), 'prompt')}"))
            for number, prompt in enumerate(session.prompts, 1):
                out.append((f"Go to: {session.title} › {number}. {prompt.text}",
                            partial(screen.action_go_to, session.id, prompt.id), "prompt"))
        return out

    async def discover(self) -> Hits:
        for title, callback, text in self._commands():
            yield DiscoveryHit(Text(title), callback, text=title, help=literal(text))

    async def search(self, query: str) -> Hits:
        # Textual's fuzzy matcher slows down sharply on long titles (a prompt's
        # full text): "monitoring" took seconds per key. Words matched as
        # substrings are instant and what people type here anyway.
        words = query.lower().split()
        if not words:
            return
        for title, callback, text in self._commands():
            score = word_score(title, words)
            if score > 0:
                yield Hit(score, highlight(title, words), callback, text=title, help=literal(text))
        # Answers anywhere in the day: find what a delegation said and jump to it.
        from facilitator.themes import search_day
        from facilitator.tui.screens.run import RunScreen

        screen = self.screen
        if not isinstance(screen, RunScreen):
            return
        meeting = self.facilitator.meeting
        for session_id, prompt_id, answer in search_day(meeting.notes, meeting.programme, query, limit=40):
            session = meeting.programme.session(session_id)
            title = f"Answer · {answer.group}: {' '.join(answer.text.split())[:100]}"
            jump = partial(screen.jump_to_answer, session_id, prompt_id, answer.id)
            yield Hit(0.5, highlight(title, words), jump, text=title,
                      help=literal(session.title if session else session_id))


def word_score(title: str, words: list[str]) -> float:
    """0 unless every word occurs in the title; higher when words start words."""
    folded = title.lower()
    score = 0.0
    for word in words:
        at = folded.find(word)
        if at < 0:
            return 0.0
        score += 1.0 if at == 0 or not folded[at - 1].isalnum() else 0.5
    return score / len(words) / (1 + len(title) / 200)


def highlight(title: str, words: list[str]) -> Text:
    """The title with every occurrence of the query's words underlined."""
    text = Text(title)
    folded = title.lower()
    for word in words:
        start = folded.find(word)
        while start >= 0:
            text.stylize("bold underline", start, start + len(word))
            start = folded.find(word, start + len(word))
    return text
