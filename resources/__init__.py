"""Icons, translations, templates and sample data shipped with the app."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Absolute path of a resource file."""
    return ROOT.joinpath(*parts)
