"""Rich styles from the current Textual theme, for widgets that draw Rich text.

Theme variables such as `$text` are Textual CSS ("auto 87%"), not Rich
styles, so these turn a theme colour into a Rich style string that works in
every built-in theme, light or dark.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.color import Color


def colour(app: App, name: str, fallback: str = "default") -> str:
    """A theme colour as a Rich colour ("#RRGGBB"), without transparency."""
    value = app.theme_variables.get(name)
    if not value:
        return fallback
    try:
        return Color.parse(value).hex6
    except Exception:  # noqa: BLE001 - "auto 87%" and the like: not a colour on its own
        return fallback


def badge(app: App, name: str) -> str:
    """Bold text on a theme colour, in whichever of black or white reads best on it."""
    background = Color.parse(colour(app, name, "#808080"))
    return f"bold {background.get_contrast_text().hex6} on {background.hex6}"


def timebox_badge(app: App, label: str, state: str) -> Text:
    """The countdown as shown beside an item's title: warning colours at 5 minutes, red when over."""
    box = Text(f" ⏱ {label} ") if label else Text("")
    if state == "warning":
        box.stylize(badge(app, "warning"))
    elif state == "overrun":
        box.stylize(badge(app, "error"))
    return box


def muted(app: App) -> str:
    """The theme's muted text colour, blended for its background."""
    foreground = Color.parse(colour(app, "foreground", "#808080"))
    background = Color.parse(colour(app, "background", "#000000"))
    return background.blend(foreground, 0.6).hex6
