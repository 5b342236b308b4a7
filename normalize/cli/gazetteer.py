"""``normalize gazetteer ...``: the maintainers' commands.

$ normalize gazetteer lint
$ normalize gazetteer add khalifa_haftar Haftir --short Haftar
$ normalize gazetteer suggest corpus/ -o suggestions.tsv
$ normalize gazetteer explain Hifter --context "Hifter's forces near Sirte"
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..batch.corpus import InputError, collect_inputs, read_text, write_atomic
from ..batch.exitcodes import ExitCode
from ..gazetteer import ENTITY_TYPES, GazetteerError
from .config import setting
from .shared import NameSources, err, out, report_gazetteer_error, setting_option

gazetteer_app = typer.Typer(
    help="Check, extend and explain the gazetteer files.", no_args_is_help=True, add_completion=False
)

# The entity types the loader accepts, as choices for --type.
EntityType = StrEnum("EntityType", [(kind.upper(), kind) for kind in ENTITY_TYPES])


@gazetteer_app.command("lint")
def lint_command(
    # Named like the setting, so the configuration's gazetteers are linted when no PATHS are given.
    gazetteer: Annotated[
        list[Path] | None, typer.Argument(metavar="PATHS", help=setting("gazetteer").help, show_default=False)
    ] = None,
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    more: Annotated[
        list[Path] | None,
        typer.Option("--gazetteer", "-g", help="More gazetteer files or folders to check (as PATHS)."),
    ] = None,
) -> None:
    """Check the gazetteers (shipped ones, your user folder, PATHS); exit 1 if anything is wrong."""
    from ..maintain.lint import lint

    problems = lint([*(gazetteer or []), *(more or [])], include_default=not no_default_gazetteers)
    for p in problems:
        out.print(f"{p.file}:{p.line}: {p.code} {p.message}", markup=False, soft_wrap=True)
    if problems:
        err.print(f"{len(problems)} problem(s)", markup=False)
        loads = all(p.code != "G000" for p in problems)
        raise typer.Exit(ExitCode.CHANGES_FOUND if loads else ExitCode.GAZETTEER)
    err.print("no problems", markup=False)


@gazetteer_app.command("stats")
def stats_command(
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """What the gazetteers hold: entities by type, region and file; id and Arabic coverage."""
    from rich.table import Table

    from ..maintain.stats import gazetteer_stats

    stats = gazetteer_stats(NameSources.of(gazetteer, no_default_gazetteers).gazetteer())
    if as_json:
        out.print_json(json.dumps(stats))
        return
    table = Table("figure", "value", title="gazetteer", show_header=False)
    total = stats["entities"]
    for key, value in stats.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif key.startswith("with_"):
            value = f"{value} of {total} ({100 * value / max(total, 1):.0f}%)"
        table.add_row(key.replace("_", " "), str(value))
    out.print(table)


@gazetteer_app.command("explain")
def explain_command(
    word: Annotated[str, typer.Argument(help="The word or name to explain.")],
    context: Annotated[str | None, typer.Option(help="A text around the word (its document).")] = None,
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    ignore: list[str] | None = setting_option("ignore"),
    ignore_file: Path | None = setting_option("ignore_file"),
) -> None:
    """Why WORD is or is not changed: the entry, the rule, the guard or the ignore list."""
    from ..maintain.explain import explain

    normalizer = NameSources.of(gazetteer, no_default_gazetteers, ignore, ignore_file).normalizer()
    try:
        result = explain(normalizer, word, context)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    out.print(f"{word!r}: {result.verdict}", markup=False)
    for step in result.steps:
        out.print(f"  {step}", markup=False, soft_wrap=True)


@gazetteer_app.command("add")
def add_command(
    entity: Annotated[str | None, typer.Argument(help="Entity id to extend or create.")] = None,
    spelling: Annotated[str | None, typer.Argument(help="The variant spelling to add.")] = None,
    short: Annotated[
        str | None, typer.Option(help="Add to the short form with this canonical (created if new).")
    ] = None,
    canonical: Annotated[str | None, typer.Option(help="New entity: its canonical name.")] = None,
    kind: Annotated[EntityType | None, typer.Option("--type", help="New entity: its type.")] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            help="Write into this gazetteer file (default: the file that defines the entity, unless it is "
            "shipped; else your user gazetteer: the first -g/configured gazetteer, else "
            "$NORMALIZE_GAZETTEER_DIR/user.toml or ~/.local/share/normalize/gazetteers/user.toml)."
        ),
    ] = None,
    arabic: Annotated[list[str] | None, typer.Option(help="New entity: an Arabic form (repeatable).")] = None,
    wikidata: Annotated[str | None, typer.Option(help="New entity: Wikidata id (Q...).")] = None,
    geonames: Annotated[int | None, typer.Option(help="New entity: GeoNames id.")] = None,
    ambiguous: Annotated[bool, typer.Option(help="New entity: needs context to be changed.")] = False,
    source: Annotated[str | None, typer.Option(help="Where the spelling comes from.")] = None,
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Add every row of a reviewed suggestions file.")
    ] = None,
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
) -> None:
    """Add a variant (or a new entity) to a gazetteer file, keeping its comments and layout.

    The edited file is checked with lint before it replaces the old one.
    Nothing is ever written into the shipped gazetteers unless --file names
    one: a variant of a shipped entity goes into your user gazetteer, as a
    table with `extends = true`.
    """
    from ..maintain.edit import EditError, NewEntity, add_entity, add_spelling, find_entity, user_gazetteer_file

    extra = gazetteer or []
    include_default = not no_default_gazetteers
    try:
        if from_file is not None:
            _add_suggestions(from_file, extra, include_default, file)
            return
        if entity is None:
            raise typer.BadParameter("give ENTITY [SPELLING], or --from FILE")
        if canonical is not None:
            if kind is None:
                raise typer.BadParameter("a new entity needs --type as well as --canonical")
            new = NewEntity(
                entity,
                kind.value,
                canonical,
                (spelling,) if spelling else (),
                tuple(arabic or ()),
                wikidata,
                geonames,
                ambiguous,
                source,
            )
            path = file or user_gazetteer_file(extra)
            add_entity(path, new, gazetteers=extra, include_default=include_default)
            out.print(f"{path}: added [{entity}] {canonical!r}", markup=False)
            return
        if spelling is None:
            raise typer.BadParameter("give the SPELLING to add (or --canonical to create an entity)")
        found = find_entity(entity, extra, include_default)
        done = add_spelling(found, spelling, short=short, gazetteers=extra, include_default=include_default, file=file)
        out.print(done, markup=False)
    except (EditError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False)
        for problem in getattr(exc, "problems", []):
            err.print(f"  {problem.file}:{problem.line}: {problem.code} {problem.message}", markup=False)
        raise typer.Exit(ExitCode.GAZETTEER) from None
    except GazetteerError as exc:
        raise report_gazetteer_error(exc) from None


def _add_suggestions(rows_file: Path, extra: list[Path], include_default: bool, file: Path | None) -> None:
    """``add --from``: each row in turn; a spelling listed already, or one
    that differs from a listed spelling only in case, is skipped with a note."""
    from ..gazetteer import load_gazetteers
    from ..maintain.edit import add_spelling, find_entity
    from ..maintain.suggest import case_twin, listed_as, listed_spellings, read_suggestions
    from ..text.tokens import case_key

    rows = read_suggestions(rows_file)
    listed = listed_spellings(load_gazetteers(extra, include_default=include_default))
    for row in rows:
        twin = case_twin(row.spelling, listed)
        if twin is not None:
            err.print(f"skipped {row.spelling!r} ({row.entity}): {listed_as(row.spelling, twin)}", markup=False)
            continue
        short = row.short or None
        entity = find_entity(row.entity, extra, include_default)
        done = add_spelling(
            entity, row.spelling, short=short, gazetteers=extra, include_default=include_default, file=file
        )
        listed[case_key(row.spelling)] = row.spelling  # a later row in other capitals is its twin
        out.print(done, markup=False)


@gazetteer_app.command("suggest")
def suggest_command(
    corpus: Annotated[list[Path], typer.Argument(help="Files or folders of articles.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The suggestions file (TSV).")] = Path(
        "suggestions.tsv"
    ),
    glob: str = setting_option("glob"),
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    ignore: list[str] | None = setting_option("ignore"),
    ignore_file: Path | None = setting_option("ignore_file"),
) -> None:
    """Find spellings in CORPUS that look like known names but are not listed
    (spellings on the ignore list are not suggested)."""
    from ..maintain.suggest import suggest, write_suggestions

    normalizer = NameSources.of(gazetteer, no_default_gazetteers, ignore, ignore_file).normalizer()
    inputs, problems = collect_inputs(corpus, glob)
    bad = [str(p) for p in problems]

    def documents():
        for item in inputs:
            try:
                yield item.display, read_text(item.path)
            except InputError as exc:
                bad.append(f"{item.display}: {exc}")

    suggestions = suggest(normalizer, documents())
    write_suggestions(output, suggestions)
    for s in suggestions[:15]:
        target = f"{s.entity}" + (f" ({s.short})" if s.short else "")
        out.print(f"{s.count:5d}  {s.spelling!r} -> {target}  score {s.score:g}  {s.status}", markup=False)
    err.print(f"{len(suggestions)} suggestion(s) from {len(inputs)} file(s) written to {output}", markup=False)
    for message in bad:
        err.print(f"error {message}", markup=False)
    if bad:
        raise typer.Exit(ExitCode.BAD_INPUT)


@gazetteer_app.command("import-geonames")
def import_geonames_command(
    dump: Annotated[Path, typer.Argument(help="A GeoNames dump you downloaded (LY.txt, allCountries.txt).")],
    country: Annotated[str, typer.Option(help="ISO country code to take, e.g. LY.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the gazetteer here (default: standard output).")
    ] = None,
    alternate_names: Annotated[
        Path | None, typer.Option(help="alternateNamesV2.txt: drops historic names, adds Arabic forms.")
    ] = None,
    region: Annotated[str | None, typer.Option(help="Region name for the file (default: the country).")] = None,
    min_population: Annotated[int, typer.Option(help="Leave out smaller populated places.")] = 0,
    feature_code: Annotated[
        list[str] | None, typer.Option(help="Also take places with this feature code (AIRP, PRT...).")
    ] = None,
) -> None:
    """Bootstrap a gazetteer for a new region from a GeoNames dump; review it before use."""
    from ..maintain.geonames import GeonamesError, import_geonames

    if output is not None and os.path.lexists(output):
        raise typer.BadParameter(f"{output} exists; choose a new file")
    try:
        text = import_geonames(
            dump,
            country,
            region=region,
            min_population=min_population,
            alternate_names=alternate_names,
            feature_codes=tuple(feature_code or ()),
        )
    except GeonamesError as exc:
        err.print(f"error {exc}", markup=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None
    if output is None:
        out.file.write(text)
        return
    try:
        write_atomic(output, text.encode("utf-8"), fresh=True)  # (nor a file made while it imported)
    except FileExistsError:
        raise typer.BadParameter(f"{output} exists; choose a new file") from None
    err.print(f"wrote {output}; review it, then run: normalize gazetteer lint {output}", markup=False)
