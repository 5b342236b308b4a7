"""Loading gazetteer files: what is accepted, and precise errors for the rest."""

from pathlib import Path

import pytest
from conftest import MINI

from normalize import GazetteerError, load_gazetteers


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(*paths: Path) -> list[str]:
    with pytest.raises(GazetteerError) as info:
        load_gazetteers(paths, include_default=False)
    return [str(p) for p in info.value.problems]


GOOD = '[sirte]\ntype = "place"\ncanonical = "Sirte"\nvariants = ["Sirt"]\n'


def test_a_good_file_loads_with_all_its_fields():
    gaz = load_gazetteers([MINI], include_default=False)
    haftar = gaz.entity("khalifa_haftar")
    assert haftar.type == "person" and haftar.canonical == "Khalifa Haftar"
    assert [f.canonical.text for f in haftar.forms] == ["Khalifa Haftar", "Haftar"]
    assert haftar.arabic == ("خليفة حفتر",)
    assert haftar.region == "LY"
    assert gaz.entity("tripoli").forms[0].ambiguous


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "bad.toml", GOOD + '\n[zliten]\ntype = "place\n')
    assert problems(path) == [f"{path}:7: TOML syntax: Illegal character '\\n'"]


def test_a_duplicate_id_in_one_file_is_a_syntax_error(tmp_path):
    path = write(tmp_path, "dup.toml", GOOD + GOOD)
    [message] = problems(path)
    assert message.startswith(f"{path}:5: TOML syntax:")


def test_an_unknown_key_is_reported_on_its_entity(tmp_path):
    path = write(tmp_path, "typo.toml", GOOD.replace("variants", "varients"))
    [message] = problems(path)
    assert message.startswith(f"{path}:1: sirte: unknown key 'varients'")


def test_a_missing_canonical_is_reported(tmp_path):
    path = write(tmp_path, "a.toml", '\n[sirte]\ntype = "place"\n')
    assert problems(path) == [f"{path}:2: sirte: 'canonical' is required and must be a string"]


def test_a_bad_type_is_reported(tmp_path):
    path = write(tmp_path, "a.toml", GOOD.replace('"place"', '"city"'))
    assert "'type' must be one of person, place, org, other, not 'city'" in problems(path)[0]


def test_a_lowercase_variant_is_reported_on_its_line(tmp_path):
    path = write(
        tmp_path,
        "a.toml",
        '[sirte]\ntype = "place"\ncanonical = "Sirte"\nvariants = [\n  "Sirt",\n  "sirt",\n]\n',
    )
    assert problems(path) == [
        f"{path}:6: sirte: 'sirt' must start with a capital letter (after an optional glued article)"
    ]


def test_malformed_arabic_and_ids_are_reported(tmp_path):
    text = GOOD + 'arabic = ["Sirte"]\nwikidata = "183"\ngeonames = "x"\n'
    path = write(tmp_path, "a.toml", text)
    found = problems(path)
    assert f"{path}:5: sirte: arabic form 'Sirte' must hold Arabic letters and single spaces only" in found
    assert f"{path}:6: sirte: 'wikidata' must look like \"Q123\", not '183'" in found
    assert f"{path}:7: sirte: 'geonames' must be a positive integer, not 'x'" in found


def test_a_duplicate_id_across_files_names_both_places(tmp_path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", "\n" + GOOD.replace('Sirt"', 'Surt"'))
    [problem] = problems(a, b)
    assert problem.startswith(f"{b}:2: duplicate id 'sirte', first defined at {a}:1")
    assert "extends = true" in problem  # how to add to it instead


def test_one_spelling_for_two_canonicals_is_an_error(tmp_path):
    a = write(tmp_path, "a.toml", '[jufra]\ntype = "place"\ncanonical = "Jufra"\nvariants = ["Jafra"]\n')
    b = write(tmp_path, "b.toml", '[jafara]\ntype = "place"\ncanonical = "Jafara"\nvariants = ["Jafra"]\n')
    [message] = problems(a, b)
    assert message.startswith(f"{b}:4: jafara: 'Jafra' maps to 'Jafara' but 'Jafra' at {a}:4 maps to 'Jufra'")


def test_a_broken_file_never_yields_a_half_loaded_gazetteer(tmp_path):
    write(tmp_path, "a.toml", GOOD)
    write(tmp_path, "b.toml", '[zliten]\ntype = "place"\n')
    with pytest.raises(GazetteerError):
        load_gazetteers([tmp_path], include_default=False)


def test_all_problems_of_all_files_are_reported_at_once(tmp_path):
    a = write(tmp_path, "a.toml", '[x]\ntype = "thing"\ncanonical = "X"\n')
    b = write(tmp_path, "b.toml", "[y\n")
    found = problems(tmp_path)
    assert any(p.startswith(f"{a}:1:") for p in found) and any(p.startswith(f"{b}:1:") for p in found)


def test_invalid_utf8_in_a_gazetteer_is_reported(tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(GOOD.encode() + b"# \xff\n")
    assert problems(path) == [f"{path}:5: not valid UTF-8"]


def test_a_folder_without_gazetteer_files_is_an_error(tmp_path):
    assert problems(tmp_path) == [f"{tmp_path}:0: no gazetteer files found"]


def test_a_file_level_keep_list_protects_words_from_every_stage(tmp_path):
    write(tmp_path, "a.toml", GOOD)
    write(tmp_path, "b.toml", '[gazetteer]\nregion = "world"\nkeep = [\n  "Surt",  # a look-alike\n]\n')
    gaz = load_gazetteers([tmp_path], include_default=False)
    assert [(k.text, k.line, k.region) for k in gaz.keep] == [("Surt", 4, "world")]


def test_a_bad_keep_word_is_reported(tmp_path):
    path = write(tmp_path, "b.toml", '[gazetteer]\nkeep = ["surat"]\n')
    assert problems(path) == [
        f"{path}:2: [gazetteer] keep 'surat' must start with a capital letter (after an optional glued article)"
    ]


def test_problems_in_the_file_settings_are_reported(tmp_path):
    path = write(tmp_path, "a.toml", '[gazetteer]\ncontext = "Libya"\nregon = "LY"\n\n' + GOOD)
    assert problems(path) == [
        f"{path}:1: [gazetteer] unknown key 'regon' (expected one of: context, keep, notes, region, source)",
        f"{path}:1: [gazetteer] 'context' must be a list of strings",
    ]


# Extensions: a table with `extends = true` adds to an entity another file defines.

DEFINED = GOOD + '\n[[sirte.short]]\ncanonical = "Surt"\nvariants = ["Surte"]\n'


def test_an_extension_adds_variants_to_the_full_name_and_a_short_form_each_with_its_own_file_and_line(tmp_path):
    a = write(tmp_path, "a.toml", DEFINED)
    b = write(
        tmp_path,
        "b.toml",
        '# mine\n[sirte]\nextends = true\nvariants = ["Syrte"]\n\n'
        '[[sirte.short]]\ncanonical = "Surt"\nvariants = ["Sourt"]\n',
    )
    sirte = load_gazetteers([a, b], include_default=False).entity("sirte")
    full, short = sirte.forms
    assert [(v.text, sirte.file_of(v), v.line) for v in full.variants] == [("Sirt", str(a), 4), ("Syrte", str(b), 4)]
    assert [(v.text, sirte.file_of(v), v.line) for v in short.variants] == [("Surte", str(a), 8), ("Sourt", str(b), 8)]
    assert sirte.file == str(a) and sirte.extensions == ((str(b), 2),)


def test_an_extension_may_add_a_new_short_form_and_arabic_forms(tmp_path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(
        tmp_path,
        "b.toml",
        '[sirte]\nextends = true\narabic = ["سرت"]\n\n[[sirte.short]]\ncanonical = "Syrtis"\nvariants = ["Sirtis"]\n',
    )
    sirte = load_gazetteers([a, b], include_default=False).entity("sirte")
    assert [f.canonical.text for f in sirte.forms] == ["Sirte", "Syrtis"] and sirte.arabic == ("سرت",)


def test_an_extension_loaded_before_its_definition_still_extends_it(tmp_path):
    write(tmp_path, "a_mine.toml", '[sirte]\nextends = true\nvariants = ["Syrte"]\n')
    write(tmp_path, "b_defined.toml", GOOD)
    sirte = load_gazetteers([tmp_path], include_default=False).entity("sirte")
    assert [v.text for v in sirte.forms[0].variants] == ["Sirt", "Syrte"]


def test_an_extension_of_an_unknown_id_names_its_file_and_line_and_the_closest_id(tmp_path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", '\n[sirt]\nextends = true\nvariants = ["Syrte"]\n')
    assert problems(a, b) == [
        f"{b}:2: sirt: extends = true, but no gazetteer in use defines [sirt]; did you mean 'sirte'?"
    ]


def test_an_extension_cannot_set_what_defines_the_entity(tmp_path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", '[sirte]\nextends = true\ntype = "place"\ncanonical = "Sirt"\n')
    found = problems(a, b)
    assert [p.split(": an extension")[0] for p in found] == [f"{b}:4: sirte", f"{b}:3: sirte"]
    assert "cannot set 'canonical': it belongs where the entity is defined" in found[0]
    assert "cannot set 'type'" in found[1]


def test_extends_must_be_true(tmp_path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", '[sirte]\nextends = false\nvariants = ["Syrte"]\n')
    assert problems(a, b) == [f"{b}:2: sirte: 'extends' must be true (leave it out where the entity is defined)"]


def test_an_extension_cannot_list_a_spelling_the_entity_lists_already(tmp_path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", '[sirte]\nextends = true\nvariants = [\n  "Sirt",\n]\n')
    assert problems(a, b) == [f"{b}:4: sirte: variant 'Sirt' of 'Sirte' is listed already, at {a}:4"]


def test_an_extension_cannot_change_whether_a_short_form_is_ambiguous(tmp_path):
    a = write(tmp_path, "a.toml", DEFINED)
    b = write(tmp_path, "b.toml", '[sirte]\nextends = true\n\n[[sirte.short]]\ncanonical = "Surt"\nambiguous = true\n')
    [message] = problems(a, b)
    assert message.startswith(
        f"{b}:5: sirte: an extension cannot change 'ambiguous' of the form 'Surt' defined at {a}:7"
    )


def test_a_spelling_clash_with_an_extension_names_the_extensions_file_and_line(tmp_path):
    a = write(tmp_path, "a.toml", GOOD + '\n[jufra]\ntype = "place"\ncanonical = "Jufra"\n')
    b = write(tmp_path, "b.toml", '[sirte]\nextends = true\nvariants = ["Jufra"]\n')
    [message] = problems(a, b)
    assert message.startswith(f"{a}:8: jufra: 'Jufra' maps to 'Jufra' but 'Jufra' at {b}:3 maps to 'Sirte'")


def test_a_changed_extension_changes_the_gazetteer_digest(tmp_path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", '[sirte]\nextends = true\nvariants = ["Syrte"]\n')
    before = load_gazetteers([a, b], include_default=False).digest
    b.write_text('[sirte]\nextends = true\nvariants = ["Syrtis"]\n', encoding="utf-8")
    assert load_gazetteers([a, b], include_default=False).digest != before


# The user gazetteer folder: loaded with the shipped gazetteers when it exists.


def test_the_user_gazetteer_folder_is_loaded_with_the_shipped_ones_when_it_exists(user_gazetteers):
    from normalize.gazetteer import gazetteer_roots

    assert user_gazetteers not in gazetteer_roots()  # absent: skipped, nothing to report
    user_gazetteers.mkdir()
    write(user_gazetteers, "user.toml", '[sirte]\nextends = true\nvariants = ["Syrtix"]\n')
    assert "Syrtix" in [v.text for v in load_gazetteers().entity("sirte").forms[0].variants]
    assert user_gazetteers not in gazetteer_roots(include_default=False)


def test_the_user_gazetteer_folder_follows_xdg_data_home_then_home():
    from normalize.gazetteer import user_gazetteer_dir

    assert user_gazetteer_dir({"NORMALIZE_GAZETTEER_DIR": "/g", "XDG_DATA_HOME": "/d"}) == Path("/g")
    assert user_gazetteer_dir({"XDG_DATA_HOME": "/d"}) == Path("/d/normalize/gazetteers")
    assert user_gazetteer_dir({}) == Path.home() / ".local" / "share" / "normalize" / "gazetteers"


def test_an_extension_of_an_entity_whose_definition_is_broken_reports_only_the_definition(tmp_path):
    a = write(tmp_path, "a.toml", GOOD.replace('"place"', '"city"'))
    b = write(tmp_path, "b.toml", '[sirte]\nextends = true\nvariants = ["Syrte"]\n')
    [message] = problems(a, b)
    assert message.startswith(f"{a}:1: sirte: 'type' must be one of")
