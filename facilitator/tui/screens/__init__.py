"""Screens of the facilitator app."""
