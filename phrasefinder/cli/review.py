"""``phrasefinder review``: the curator's decisions, interactive on a terminal or one command at a time.

``-l`` names the lexicon set for the whole group (``review -l DIR list``) or for
one subcommand (``review list -l DIR``); the subcommand's wins.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..lexicon import default_path
from .app import LexiconOption, app, err, shown

review_app = typer.Typer(help="Decide on mined candidates: accept them into a lexicon or reject them.")
app.add_typer(review_app, name="review")


@review_app.callback(invoke_without_command=True)
def review(ctx: typer.Context, lexicon: LexiconOption = None) -> None:
    """On a terminal, walk the pending candidates one key at a time (a, e, v, r, s, u, q)."""
    if ctx.invoked_subcommand:
        return
    if not sys.stdin.isatty():
        msg = "interactive review needs a terminal; use 'review list', 'review accept' or 'review reject'"
        raise InputError(msg)
    from ..review.queue import Queue
    from .console import ReviewSession

    paths = _lexicons(ctx, None)
    ReviewSession(Queue.of(paths), paths).run()


def _lexicons(ctx: typer.Context, own: list[Path] | None) -> list[Path]:
    """The lexicon set a review command works on: its own -l, else the group's, else the bundled set.

    The group's is read from click's parameters, which hold the paths as text (typer makes them paths only
    for the function it calls).
    """
    group = ctx.parent.params.get("lexicon") if ctx.parent and ctx.invoked_subcommand is None else None
    return own or [Path(p) for p in group or ctx.params.get("lexicon") or ()] or [default_path()]


@review_app.command("list")
def review_list(ctx: typer.Context, lexicon: LexiconOption = None) -> None:
    """List the pending candidates, best first."""
    from ..review.queue import Queue

    queue = Queue.of(_lexicons(ctx, lexicon))
    queue.recover()
    table = Table(header_style="bold", box=box.SIMPLE_HEAD)
    table.add_column("id", no_wrap=True)  # a candidate id is what the curator copies: never broken over lines
    for name in ("phrase", "score", "freq", "docs", "signals", "variant of"):
        table.add_column(name, overflow="fold")
    pending = queue.pending()
    for c in pending:
        table.add_row(
            shown(c["id"]),
            shown(c["phrase"]),
            f"{c['score']:.1f}",
            str(c["freq"]),
            str(c["docs"]),
            " ".join(c["signals"]),
            shown(c.get("variant_of") or ""),
        )
    Console(highlight=False).print(table)
    err.print(f"{len(pending):,} pending in {shown(str(queue.pending_path))}", soft_wrap=True)


@review_app.command("accept")
def review_accept(
    candidate: Annotated[str, typer.Argument(help="The candidate id (c-…), as 'review list' shows it.")],
    category: Annotated[
        str | None, typer.Option(help="The entry's category. Default: that of the set's most similar entries.")
    ] = None,
    entry_id: Annotated[str | None, typer.Option("--id", help="The entry id. Default: the phrase in pinyin.")] = None,
    level: Annotated[
        str | None,
        typer.Option(help="national, provincial, municipal, county or other. Default: from the region, else national."),
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Region of a local formula. Default: that of most of its documents.")
    ] = None,
    phrase: Annotated[str | None, typer.Option(help="The phrase as it should stand (edited).")] = None,
    first_seen: Annotated[
        str | None, typer.Option(help="When the formula was first put forward (YYYY[-MM[-DD]]).")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Where it is attested. Default: the document it was mined from.")
    ] = None,
    note: Annotated[
        str | None, typer.Option(help="A note for curators. Default: the candidate id and signals.")
    ] = None,
    variant: Annotated[list[str] | None, typer.Option(help="Another written form (repeatable).")] = None,
    member: Annotated[list[str] | None, typer.Option(help="A member of an enumerated formula (repeatable).")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="A longer phrase that is not this formula (repeatable).")
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(help="The lexicon file that receives the entry. Default: the region's file, else the category's."),
    ] = None,
    as_variant_of: Annotated[
        str | None,
        typer.Option(help="Add the phrase to the variants of this entry (as 'review list' shows) instead."),
    ] = None,
    lexicon: LexiconOption = None,
    *,
    ctx: typer.Context,
) -> None:
    """Add a candidate to a lexicon file (comments and order kept) and log the decision."""
    from ..review.queue import Queue, accept, accept_variant

    paths = _lexicons(ctx, lexicon)
    if as_variant_of is not None:
        new_entry = {
            "--category": category, "--id": entry_id, "--level": level, "--region": region,
            "--first-seen": first_seen, "--source": source, "--note": note, "--variant": variant,
            "--member": member, "--exclude": exclude, "--into": into,
        }  # fmt: skip
        given = [name for name, value in new_entry.items() if value]
        if given:
            msg = f"{', '.join(given)}: fields of a new entry; --as-variant-of adds a form to an entry that exists"
            raise InputError(msg)
        joined, target = accept_variant(Queue.of(paths), paths, candidate, entry_id=as_variant_of, phrase=phrase)
        typer.echo(f"accepted {candidate} as a variant of '{joined.id}' ({joined.phrase}) in {target}")
        return
    entry, target = accept(
        Queue.of(paths), paths, candidate, category=category, entry_id=entry_id, phrase=phrase, into=into,
        level=level, region=region, first_seen=first_seen, source=source, note=note,
        variants=variant, members=member, exclude=exclude,
    )  # fmt: skip
    where = f"{entry.level}, {entry.region}" if entry.region else entry.level
    typer.echo(f"accepted {candidate} as '{entry.id}' ({entry.phrase}, {entry.category}, {where}) into {target}")


@review_app.command("reject")
def review_reject(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(help="The candidate id (c-…).")],
    reason: Annotated[str | None, typer.Option(help="Why, for the decision log.")] = None,
    lexicon: LexiconOption = None,
) -> None:
    """Reject a candidate: logged, and never proposed again."""
    from ..review.queue import Queue, reject

    record = reject(Queue.of(_lexicons(ctx, lexicon)), candidate, reason=reason)
    typer.echo(f"rejected {candidate} ({record['phrase']})")


@review_app.command("undo")
def review_undo(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(help="The candidate id (c-…) whose decision to take back.")],
    lexicon: LexiconOption = None,
) -> None:
    """Take back a decision: an accepted entry leaves its lexicon file, the candidate is pending again."""
    from ..review.queue import Queue, undo

    paths = _lexicons(ctx, lexicon)
    record = undo(Queue.of(paths), paths, candidate)
    typer.echo(f"undone: {candidate} ({record['phrase']}) is pending again")
