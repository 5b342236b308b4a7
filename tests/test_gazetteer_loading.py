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
    assert problems(a, b) == [f"{b}:2: duplicate id 'sirte', first defined at {a}:1"]


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
