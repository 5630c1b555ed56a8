"""Widgets of the run screen; each draws from the meeting's state, holds none of its own."""
