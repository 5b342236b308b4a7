"""Organisation names as machine translation renders them: word synonyms and
word order declared in the gazetteer, expanded when the index is compiled
(gazetteers/README.md, "Word synonyms and word order")."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from normalize import GazetteerError, Normalizer, load_gazetteers
from normalize.engine.normalizer import Settings
from normalize.gazetteer.model import MAX_EXPANSIONS
from normalize.maintain.lint import lint

ENGINES = {engine: Normalizer.load(settings=Settings(engine=engine)) for engine in ("scan", "reference")}
CONTEXT = " in Tripoli, Libya."


@pytest.fixture(params=sorted(ENGINES))
def shipped(request) -> Normalizer:
    return ENGINES[request.param]


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("National Oil Company", "National Oil Corporation"),
        ("Higher State Council", "High Council of State"),
        ("High State Council", "High Council of State"),
        ("Council of Representatives", "House of Representatives"),
        ("Council of Deputies", "House of Representatives"),
        ("Presidency Council", "Presidential Council"),
        ("Dawn of Libya", "Libya Dawn"),
        ("Government of Accord", "Government of National Accord"),
        ("Accord Government", "Government of National Accord"),
        ("General National Council", "General National Congress"),
        ("Petroleum Installations Guards", "Petroleum Facilities Guard"),
        ("Libyan Arab Army", "Libyan National Army"),
        ("Libya National Army", "Libyan National Army"),
        ("Benghazi Defence Brigade", "Benghazi Defense Brigades"),
        ("Benghazi Defence Brigades", "Benghazi Defense Brigades"),
    ],
)
def test_the_renderings_named_in_the_issue_become_the_canonical_name(shipped, written, canonical):
    result = shipped.normalize(f"The {written} met{CONTEXT}")
    assert result.text == f"The {canonical} met{CONTEXT}"
    [change] = result.changes
    assert (change.before, change.after, change.method) == (written, canonical, "exact")


def test_a_change_by_a_synonym_points_at_the_listed_name_it_comes_from(shipped):
    [change] = shipped.normalize(f"The National Oil Company said{CONTEXT}").changes
    lines = Path(change.gazetteer_file).read_text(encoding="utf-8").splitlines()
    assert change.entity == "national_oil_corporation"
    assert lines[change.gazetteer_line - 1] == 'canonical = "National Oil Corporation"'
    why = shipped.index.expanded[("National", "Oil", "Company")]
    assert "'National Oil Corporation'" in why and "Corporation -> Company" in why and "synonyms.toml:" in why


def test_made_spellings_are_found_in_capitals_and_with_a_glued_article(shipped):
    assert shipped.normalize("NATIONAL OIL COMPANY CUTS OUTPUT IN LIBYA").text == (
        "NATIONAL OIL CORPORATION CUTS OUTPUT IN LIBYA"
    )
    assert shipped.normalize("Benghazi Defence Brigade fighters").text == "Benghazi Defense Brigades fighters"


@pytest.mark.parametrize(
    "text",
    [
        "The National Oil Company raised prices in Lagos.",
        "The Council of Representatives met in Baghdad.",
        "The Presidency Council of Bosnia met in Sarajevo.",
    ],
)
def test_generic_names_change_only_with_libyan_context(shipped, text):
    result = shipped.normalize(text)
    assert result.text == text
    assert not result.changes


@pytest.mark.parametrize(
    "name",
    [
        "Abu Dhabi National Oil Company",
        "National Oil Company of Liberia",
        "Iraqi Council of Representatives",
        "Council of Representatives of Iraq",
    ],
)
def test_other_countries_institutions_are_kept_even_in_a_libyan_article(shipped, name):
    text = f"Libya's National Oil Corporation in Tripoli signed a deal with the {name}."
    assert shipped.normalize(text).text == text


def test_council_is_congress_only_for_the_entity_that_declares_it(shipped):
    text = f"The National Transitional Congress and the General National Council{CONTEXT}"
    assert shipped.normalize(text).text == (
        f"The National Transitional Congress and the General National Congress{CONTEXT}"
    )


def test_the_output_is_a_fixed_point(shipped):
    text = f"The Dawn of Libya and the Higher State Council and the National Oil Company{CONTEXT}"
    once = shipped.normalize(text).text
    assert "Libya Dawn" in once and "High Council of State" in once and "National Oil Corporation" in once
    assert shipped.normalize(once).text == once


def test_single_word_names_never_become_common_words():
    index = ENGINES["scan"].index
    assert all(len(words) > 1 for words in index.expanded)


# ---------------------------------------------------------------------------
# The schema and lint, on small files
# ---------------------------------------------------------------------------

SYNONYMS = """[gazetteer]
region = "XX"

[gazetteer.synonyms]
Corporation = ["Company", "Corp"]
"""

ORGS = """[gazetteer]
region = "XX"
context = ["Xland"]

[oil_corporation]
type = "org"
canonical = "National Oil Corporation"
ambiguous = true
"""


def write(folder: Path, **files: str) -> Path:
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[tuple[str, str, int, str]]:
    return [(p.code, Path(p.file).name, p.line, p.message) for p in lint([folder], include_default=False)]


def test_a_region_synonym_applies_to_the_organisations_of_every_file_of_the_region(tmp_path):
    folder = write(tmp_path, synonyms=SYNONYMS, orgs=ORGS)
    assert problems(folder) == []
    normalizer = Normalizer.load([folder], include_default=False)
    assert normalizer.normalize("National Oil Corp of Xland").text == "National Oil Corporation of Xland"
    gaz = load_gazetteers([folder], include_default=False)
    [rule] = gaz.synonyms["XX"]
    assert (rule.word, rule.alternatives, Path(rule.file).name, rule.line) == (
        "Corporation",
        ("Company", "Corp"),
        "synonyms.toml",
        5,
    )


def test_synonyms_do_not_apply_to_people_or_places(tmp_path):
    place = '\n[corporation_town]\ntype = "place"\ncanonical = "Corporation Town"\n'
    folder = write(tmp_path, synonyms=SYNONYMS, orgs=ORGS + place)
    assert problems(folder) == []
    assert Normalizer.load([folder], include_default=False).normalize("Company Town, Xland").text == (
        "Company Town, Xland"
    )


def test_word_order_reads_x_of_y_as_y_x_and_back(tmp_path):
    orgs = ORGS + '\n[dawn]\ntype = "org"\ncanonical = "Xland Dawn"\nword_order = true\n'
    orgs += '\n[council]\ntype = "org"\ncanonical = "Council of State"\nword_order = true\n'
    folder = write(tmp_path, orgs=orgs)
    assert problems(folder) == []
    normalizer = Normalizer.load([folder], include_default=False)
    assert normalizer.normalize("Dawn of Xland and the State Council").text == "Xland Dawn and the Council of State"


def test_a_collision_with_another_names_spelling_is_g013_naming_both(tmp_path):
    other = '\n[oil_company]\ntype = "org"\ncanonical = "National Oil Company"\n'
    folder = write(tmp_path, synonyms=SYNONYMS, orgs=ORGS + other)
    [(code, file, line, message)] = problems(folder)
    assert (code, file, line) == ("G013", "orgs.toml", 7)
    assert "oil_corporation" in message and "oil_company" in message and "'National Oil Company'" in message
    # the listed spelling wins; the made one is not matched for the other name
    normalizer = Normalizer.load([folder], include_default=False)
    [change] = normalizer.normalize("National Oil Corp and National Oil Company of Xland").changes
    assert change.after == "National Oil Corporation"


def test_two_rules_making_the_same_spelling_for_two_names_is_g013_and_neither_matches(tmp_path):
    orgs = ORGS + '\n[oil_company]\ntype = "org"\ncanonical = "National Oil Corp Group"\n'
    orgs = orgs.replace('"National Oil Corporation"', '"National Oil Corporation Group"')
    folder = write(tmp_path, synonyms=SYNONYMS, orgs=orgs)
    assert [c for c, *_ in problems(folder)] == ["G013"]
    assert "National Oil Corp Group" not in {
        " ".join(w) for w in Normalizer.load([folder], include_default=False).index.expanded
    }


def test_a_collision_with_a_keep_word_is_g013(tmp_path):
    folder = write(tmp_path, synonyms=SYNONYMS, orgs=ORGS + 'keep = ["National Oil Company"]\n')
    [(code, _, _, message)] = problems(folder)
    assert code == "G013" and "keep word 'National Oil Company'" in message


def test_a_synonym_making_a_common_word_alone_is_g014_and_never_matches(tmp_path):
    synonyms = SYNONYMS + 'Saiqa = ["Lightning"]\n'
    orgs = ORGS + '\n[saiqa]\ntype = "org"\ncanonical = "Saiqa"\n'
    folder = write(tmp_path, synonyms=synonyms, orgs=orgs)
    found = problems(folder)
    assert [c for c, *_ in found] == ["G014"]
    assert "'Lightning'" in found[0][3]
    assert Normalizer.load([folder], include_default=False).normalize("Lightning struck Xland.").changes == ()


def test_a_synonym_no_name_uses_is_g015(tmp_path):
    synonyms = SYNONYMS + 'Guard = ["Guards"]\n'
    orgs = ORGS + 'word_variants = { Council = ["Congress"] }\n'
    orgs += '\n[saiqa]\ntype = "org"\ncanonical = "Saiqa"\nword_order = true\n'  # nothing to reorder
    found = problems(write(tmp_path, synonyms=synonyms, orgs=orgs))
    assert [(c, f, line) for c, f, line, _ in found] == [
        ("G015", "orgs.toml", 9),
        ("G015", "orgs.toml", 14),
        ("G015", "synonyms.toml", 6),
    ]
    assert all("warning" in m and "does nothing" in m for *_, m in found)


def test_a_name_expanding_beyond_the_cap_is_g016_and_does_not_load(tmp_path):
    words = [f"Word{chr(65 + i)}" for i in range(7)]
    rules = "".join(f'{w} = ["{w}x"]\n' for w in words)  # 2**7 - 1 = 127 spellings
    orgs = ORGS + f'\n[long_name]\ntype = "org"\ncanonical = "{" ".join(words)}"\n'
    folder = write(tmp_path, synonyms=SYNONYMS + rules, orgs=orgs)
    [(code, file, line, message)] = problems(folder)
    assert (code, file, line) == ("G016", "orgs.toml", 12)
    assert "expands into 127 spellings" in message and f"at most {MAX_EXPANSIONS}" in message
    with pytest.raises(GazetteerError):
        load_gazetteers([folder], include_default=False)


@pytest.mark.parametrize(
    "rules, expected",
    [
        ('Corporation = ["Oil Company"]', "must be a single word"),
        ('Corporation = ["company"]', "must start with a capital letter"),
        ('Corporation = ["Corporation"]', "lists a word twice or itself"),
        ("Corporation = []", "must be a non-empty list of words"),
    ],
)
def test_malformed_synonyms_are_load_errors_on_their_line(tmp_path, rules, expected):
    folder = write(tmp_path, synonyms=SYNONYMS.replace('Corporation = ["Company", "Corp"]', rules), orgs=ORGS)
    with pytest.raises(GazetteerError) as caught:
        load_gazetteers([folder], include_default=False)
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.line) == ("synonyms.toml", 5) and expected in problem.message


def test_word_variants_are_for_organisations_only(tmp_path):
    place = '\n[x_town]\ntype = "place"\ncanonical = "Xtown Port"\nword_variants = { Port = ["Harbour"] }\n'
    with pytest.raises(GazetteerError) as caught:
        load_gazetteers([write(tmp_path, orgs=ORGS + place)], include_default=False)
    assert "apply to org names only" in str(caught.value)


def test_a_word_declared_twice_in_a_region_is_a_load_error(tmp_path):
    folder = write(tmp_path, synonyms=SYNONYMS, more=SYNONYMS, orgs=ORGS)
    with pytest.raises(GazetteerError) as caught:
        load_gazetteers([folder], include_default=False)
    assert "synonyms for 'Corporation' are declared twice" in str(caught.value)


def test_editing_the_synonyms_file_compiles_the_gazetteer_again(tmp_path):
    (tmp_path / "gaz").mkdir()
    folder = write(tmp_path / "gaz", synonyms=SYNONYMS, orgs=ORGS)
    cache = tmp_path / "cache"
    text = "National Oil Firm of Xland"
    assert Normalizer.load([folder], include_default=False, cache=cache).normalize(text).text == text
    write(folder, synonyms=SYNONYMS.replace('"Corp"]', '"Corp", "Firm"]'))
    assert Normalizer.load([folder], include_default=False, cache=cache).normalize(text).text == (
        "National Oil Corporation of Xland"
    )


def test_the_cli_lint_is_clean_on_the_shipped_gazetteers_and_names_both_sides_of_a_collision(tmp_path):
    shipped = run_cli("gazetteer", "lint")
    assert shipped.returncode == 0, shipped.stdout.decode() + shipped.stderr.decode()
    other = '\n[oil_company]\ntype = "org"\ncanonical = "National Oil Company"\n'
    folder = write(tmp_path, synonyms=SYNONYMS, orgs=ORGS + other)
    proc = run_cli("gazetteer", "lint", "--no-default-gazetteers", str(folder))
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "orgs.toml:7: G013 oil_corporation: 'National Oil Company'" in out and "(oil_company)" in out


def test_the_abbreviation_corp_is_left_alone_so_its_full_stop_stays_right(shipped):
    text = "In Tripoli, Libya's National Oil Corp. said exports resumed."
    assert shipped.normalize(text).text == text
