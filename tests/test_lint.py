"""Each lint check, on a small file that breaks exactly that rule."""

from pathlib import Path

from normalize.maintain.lint import lint

BASE = """[gazetteer]
region = "XX"

[sirte]
type = "place"
canonical = "Sirte"
variants = ["Sirt"]
"""


def codes(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    return [(p.code, p.line, p.message) for p in lint([path], include_default=False)]


def test_a_clean_file_has_no_problems(tmp_path):
    assert codes(tmp_path, BASE) == []


def test_a_file_that_does_not_load_is_g000(tmp_path):
    [(code, line, _)] = codes(tmp_path, BASE + "[zliten\n")
    assert (code, line) == ("G000", 8)


def test_duplicate_ids_across_files_are_g001(tmp_path):
    (tmp_path / "a.toml").write_text(BASE)
    (tmp_path / "b.toml").write_text(BASE.replace('"Sirt"', '"Surt"'))
    assert [p.code for p in lint([tmp_path], include_default=False)] == ["G001"]


def test_one_spelling_for_two_canonicals_is_g002(tmp_path):
    text = BASE + '\n[syrtis]\ntype = "place"\ncanonical = "Syrtis"\nvariants = ["Sirt"]\n'
    [(code, line, message)] = codes(tmp_path, text)
    assert (code, line) == ("G002", 12) and "'Sirt' maps to 'Syrtis'" in message


def test_a_canonical_that_is_another_entitys_variant_is_a_chain_g003(tmp_path):
    text = BASE + '\n[surt]\ntype = "place"\ncanonical = "Sirt"\n'
    [(code, _, _)] = codes(tmp_path, text)
    assert code == "G003"


def test_a_variant_that_folds_to_another_listed_spelling_is_redundant_g004(tmp_path):
    text = BASE.replace('["Sirt"]', '["Sirt", "Al-Sirt", "Sirté"]')
    found = codes(tmp_path, text)
    assert [c for c, _, _ in found] == ["G004", "G004"]
    assert "it matches as 'Sirt' does" in found[0][2]


def test_a_variant_that_differs_only_in_case_is_redundant_g004(tmp_path):
    # a text in capitals is matched against every spelling in capitals
    found = codes(tmp_path, BASE.replace('["Sirt"]', '["Sirt", "SIRT", "AL-SIRTE"]'))
    assert [c for c, _, _ in found] == ["G004", "G004"]
    assert {m.split(":")[1].strip() for _, _, m in found} == {
        "'SIRT' differs from 'Sirt' only in case; it is redundant",
        "'AL-SIRTE' differs from 'Sirte' only in case; it is redundant",
    }


def test_a_variant_that_differs_from_another_spelling_only_in_mixed_case_is_g017(tmp_path):
    # not an ALL-CAPS copy (G004), but the key and fuzzy stages ignore case and find it already
    found = codes(tmp_path, BASE.replace('["Sirt"]', '["Sirt", "SiRT", "SIRTe"]'))
    assert [(c, line) for c, line, _ in found] == [("G017", 7), ("G017", 7)]
    assert {m.split(";")[0] for _, _, m in found} == {
        "sirte: 'SiRT' differs from 'Sirt' only in case",
        "sirte: 'SIRTe' differs from 'Sirte' only in case",
    }


def test_a_variant_in_other_capitals_than_another_forms_canonical_is_g017(tmp_path):
    text = BASE + '\n[[sirte.short]]\ncanonical = "Surt"\n'
    found = codes(tmp_path, text.replace('["Sirt"]', '["Sirt", "SuRT"]'))
    assert ("G017", 7, "sirte: 'SuRT' differs from 'Surt' only in case") in [
        (c, n, m.split(";")[0]) for c, n, m in found
    ]


def test_a_problem_in_an_extension_is_reported_at_the_extension(tmp_path):
    (tmp_path / "a.toml").write_text(BASE, encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text('[sirte]\nextends = true\nvariants = ["Sort", "SiRT"]\narabic = ["سِرت"]\n', encoding="utf-8")
    found = [(p.file, p.line, p.code) for p in lint([tmp_path], include_default=False)]
    assert found == [(str(mine), 3, "G005"), (str(mine), 3, "G017"), (str(mine), 4, "G007")]


def test_an_acronym_is_not_a_case_copy_of_anything(tmp_path):
    text = BASE + '\n[gna]\ntype = "org"\ncanonical = "GNA"\nvariants = ["Gna Council"]\n'
    assert codes(tmp_path, text) == []


def test_a_common_word_variant_of_an_unambiguous_name_is_g005(tmp_path):
    found = codes(tmp_path, BASE.replace('["Sirt"]', '["Sirt", "Sort"]'))
    assert [(c, line) for c, line, _ in found] == [("G005", 7)]
    assert codes(tmp_path, BASE.replace('["Sirt"]', '["Sirt", "Sort"]') + "ambiguous = true\n") == []


LOOKALIKES = BASE + '\n[surat]\ntype = "place"\ncanonical = "Surat"\n'


def test_entities_sharing_a_key_must_list_each_other_g006(tmp_path):
    [(code, line, message)] = codes(tmp_path, LOOKALIKES)
    assert code == "G006" and line == 6
    assert 'add lookalikes = ["surat"]' in message
    assert codes(tmp_path, LOOKALIKES + 'lookalikes = ["sirte"]\n') == []


def test_malformed_arabic_forms_are_g007(tmp_path):
    text = BASE + 'arabic = ["سِرت", "ســرت", "ﺳﺮﺕ", "سرتک"]\n'
    messages = [m for c, _, m in codes(tmp_path, text) if c == "G007"]
    assert len(messages) == 4
    assert any("diacritics" in m for m in messages) and any("tatweel" in m for m in messages)
    assert any("presentation forms" in m for m in messages) and any("Persian" in m for m in messages)


def test_an_arabic_form_given_to_two_entities_is_g007(tmp_path):
    text = BASE + 'arabic = ["سرت"]\n\n[syrtis]\ntype = "place"\ncanonical = "Syrtis"\narabic = ["سرت"]\n'
    assert [c for c, _, _ in codes(tmp_path, text)] == ["G007"]


def test_formatting_problems_are_g008(tmp_path):
    text = BASE.replace('type = "place"', 'type = "place"  ').replace("variants", "\tvariants")
    found = [(c, line) for c, line, _ in codes(tmp_path, text.rstrip("\n"))]
    assert found == [("G008", 5), ("G008", 7), ("G008", 7)]


def test_spellings_that_read_the_same_in_capitals_are_g009(tmp_path):
    text = BASE + '\n[hor]\ntype = "org"\ncanonical = "HoR"\n\n[hor_town]\ntype = "place"\ncanonical = "Hor"\n'
    assert [c for c, _, _ in codes(tmp_path, text)] == ["G009"]


def test_lookalikes_must_name_known_ids_g010(tmp_path):
    assert [c for c, _, _ in codes(tmp_path, BASE + 'lookalikes = ["nowhere"]\n')] == ["G010"]


def test_a_keep_word_that_is_also_a_spelling_is_g011(tmp_path):
    assert [c for c, _, _ in codes(tmp_path, BASE + 'keep = ["Sirt"]\n')] == ["G011"]


def test_an_id_given_to_two_entities_is_g012(tmp_path):
    text = BASE + 'geonames = 2210554\n\n[syrtis]\ntype = "place"\ncanonical = "Syrtis"\ngeonames = 2210554\n'
    assert [c for c, _, _ in codes(tmp_path, text)] == ["G012"]
