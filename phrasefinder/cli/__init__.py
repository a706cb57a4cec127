"""The ``phrasefinder`` command: parses arguments, calls the library, prints.

``app`` holds the one error handler; each module registers one command (or
group) on it, and ``console`` draws what a person sees.
"""

from . import lexicon, mine, report, review, scan  # each registers its commands on the app
from .app import app

__all__ = ["app", "lexicon", "mine", "report", "review", "scan"]
