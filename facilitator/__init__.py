"""facilitator: run a participatory expert meeting from a laptop."""

__version__ = "0.1.0"
