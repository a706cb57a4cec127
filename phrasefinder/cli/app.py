"""The ``phrasefinder`` command: the app, its one error handler, and what every command shares.

Exit codes: 0 the run completed (warnings included), 1 invalid lexicon, 2 bad
usage or unreadable input (a :class:`~phrasefinder.errors.InputError`, a
:class:`~phrasefinder.errors.ReviewError`, or a file the system would not open
or write), 3 an internal error — a bug: one line says so, ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from ..errors import LexiconError, PhraseFinderError

err = Console(stderr=True, highlight=False)

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    r"""Text from a corpus or a file name, safe to print: no Rich markup, no line breaks, no escape sequences.

    A record id ``[reverse]x`` must not turn the terminal's colours, nor a file name with a newline
    forge a second warning line, nor an escape sequence clear the screen: each shows as what it is.

    >>> print(shown("a[bold]b\nc\x1b[2J"))
    a\[bold]b\nc\x1b[2J
    """
    return escape(_CONTROL.sub(_visible, text))


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r"}.get(char, f"\\x{ord(char):02x}")


def warning(message: str) -> None:
    """One warning line on stderr."""
    err.print(f"[yellow]warning:[/] {shown(message)}", soft_wrap=True, highlight=False)


LexiconOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon",
        "-l",
        help="Lexicon file or folder (repeatable). Default: $PHRASEFINDER_LEXICONS, else the bundled lexicons/.",
    ),
]
MaxDocumentOption = Annotated[
    float,
    typer.Option(
        "--max-document-mb", min=0.001, help="Largest document, in MB: a longer text is read in parts cut at line ends."
    ),
]
IncludeTextOption = Annotated[
    bool, typer.Option("--include-text", help="Read the .txt/.md files of a folder of records too (a README is not).")
]


class _Handled(TyperGroup):
    """The root command: every error the library raises becomes one line and an exit code, here only."""

    def invoke(self, ctx: Any) -> Any:  # the parser's own Context class, which typer does not export
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except LexiconError as exc:
            for problem in exc.problems:
                err.print(shown(str(problem)), soft_wrap=True)
            raise typer.Exit(1) from None
        except PhraseFinderError as exc:
            err.print(f"[red]error:[/] {shown(str(exc))}", soft_wrap=True)
            raise typer.Exit(2) from None
        except BrokenPipeError:  # the reader went away (| head): nothing to say, nothing lost
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit; it must not fail again
            raise typer.Exit(0) from None
        except OSError as exc:  # a file the system would not open or write: the input's fault, not a bug
            where = f"{exc.filename}: " if exc.filename else ""
            err.print(f"[red]error:[/] {shown(where + (exc.strerror or str(exc)))}", soft_wrap=True)
            raise typer.Exit(2) from None
        except Exception as exc:
            if ctx.params.get("debug") or hasattr(exc, "exit_code"):  # --debug, or the parser's own usage error
                raise
            err.print(
                f"[red]internal error:[/] {shown(type(exc).__name__)}: {shown(str(exc))} "
                "(a bug in phrasefinder; run again with --debug for the traceback)",
                soft_wrap=True,
            )
            raise typer.Exit(3) from None


app = typer.Typer(
    cls=_Handled, no_args_is_help=True, add_completion=False, help="Find political formulas (提法) in Chinese texts."
)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Find political formulas (提法) in Chinese texts."""
