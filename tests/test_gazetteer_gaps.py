"""Spellings seen in real news that the shipped gazetteers must find (issue "Names right in real news").

Each sentence is a real one, shortened, with its source in a comment; "adapted" means the
spelling under test was put into a real sentence, "constructed" that none was found.
"""

import pytest
from conftest import clean

from normalize import Normalizer
from normalize.engine.normalizer import Settings

# Abdullah al-Thani, prime minister 2014-2021 (an ambiguous name: Al Thani is Qatar's ruling family)


def test_thinni_alone_becomes_the_canonical_surname_thani(shipped):
    # France 24 (AFP/Reuters), 12 August 2015 (the end of the sentence paraphrased)
    text = "Thinni has been based in Tobruk in eastern Libya since his government was forced out of Tripoli."
    assert clean(shipped, text) == (
        "Thani has been based in Tobruk in eastern Libya since his government was forced out of Tripoli."
    )


def test_al_thinni_becomes_thani_with_its_glued_article(shipped):
    # VOA News, September 2014
    text = "The interim government, led by al-Thinni, had resigned last week."
    assert clean(shipped, text) == "The interim government, led by Thani, had resigned last week."


def test_abdullah_al_thinni_becomes_abdullah_al_thani(shipped):
    # Libya Herald, 8 April 2014
    text = "Abdullah Al-Thinni was today officially appointed as Prime Minister by the General National Congress."
    assert clean(shipped, text) == (
        "Abdullah al-Thani was today officially appointed as Prime Minister by the General National Congress."
    )


def test_the_qatari_al_thani_is_left_alone(shipped):
    text = "Qatar's emir Sheikh Tamim bin Hamad Al Thani met Libyan officials in Doha."
    assert clean(shipped, text) == text


# Abdul Hamid Dbeibeh


def test_debaiba_alone_becomes_dbeibeh(shipped):
    # constructed ('Debaiba' reported in the issue)
    text = "Prime Minister Debaiba announced the suspension of the foreign minister."
    assert clean(shipped, text) == "Prime Minister Dbeibeh announced the suspension of the foreign minister."


def test_aldabaiba_alone_becomes_dbeibeh(shipped):
    # Libya Herald, 6 March 2021
    text = "Aldabaiba said that among the priorities of the government will be improving services for citizens."
    assert clean(shipped, text) == (
        "Dbeibeh said that among the priorities of the government will be improving services for citizens."
    )


def test_abd_alhamid_aldabaiba_becomes_abdul_hamid_dbeibeh(shipped):
    # Libya Herald, 4 March 2021
    text = "Prime Minister Abd Alhamid Aldabaiba today presented the names of his GNU to the Tobruk HoR."
    assert clean(shipped, text) == (
        "Prime Minister Abdul Hamid Dbeibeh today presented the names of his GNU to the Tobruk HoR."
    )


# Mohamed al-Menfi


@pytest.mark.parametrize("spelling", ["Mohammad Menfi", "Mohamed Menfi", "Mohammed Menfi"])
def test_menfi_without_the_article_becomes_mohamed_al_menfi(shipped, spelling):
    # Libya Observer, 5 February 2021 ('Mohammad Menfi'); 218 News and Libya Alahrar ('Mohammed Menfi')
    text = f"{spelling} has become the new head of the Presidential Council of Libya."
    assert clean(shipped, text) == "Mohamed al-Menfi has become the new head of the Presidential Council of Libya."


# Aguila Saleh: 'Aquila' alone is L'Aquila (a kept word), 'Aqaila' alone a spelling of the town Uqayla


def test_aquila_saleh_becomes_aguila_saleh(shipped):
    # AfroInsider (Libyan Express), on the 2019 war on Tripoli
    text = "The Speaker of the HoR in Tobruk Aquila Saleh is in support of Haftar."
    assert clean(shipped, text) == "The Speaker of the HoR in Tobruk Aguila Saleh is in support of Haftar."


def test_aqaila_saleh_is_the_speaker_not_the_town_uqayla(shipped):
    # Libya Observer, 5 February 2021
    text = "Menfi’s list won 39 votes out of 73, defeating Aqaila Saleh’s list which secured only 34 votes."
    assert clean(shipped, text) == (
        "Menfi’s list won 39 votes out of 73, defeating Aguila Saleh’s list which secured only 34 votes."
    )


def test_aqilah_saleh_becomes_aguila_saleh_without_other_context(shipped):
    # constructed ('Aqilah Saleh' reported in the issue)
    text = "Parliament Speaker Aqilah Saleh met the EU ambassador on Wednesday."
    assert clean(shipped, text) == "Parliament Speaker Aguila Saleh met the EU ambassador on Wednesday."


def test_aqaila_alone_is_still_the_town_uqayla(shipped):
    text = "Migrants were held at the detention camp in Aqaila, south of Brega."
    assert clean(shipped, text) == "Migrants were held at the detention camp in Uqayla, south of Brega."


def test_aquila_alone_is_still_the_italian_city(shipped):
    text = "Gaddafi flew to Aquila for the G8 summit in 2009."
    assert clean(shipped, text) == text


# Fathi Bashagha, Muammar Gaddafi, Khalifa Haftar


def test_fathi_pashaga_becomes_fathi_bashagha(shipped):
    # Arraed LG, 'Bashaga stresses his determination to develop the Ministry of the Interior'
    text = "The Minister of Interior, Fathi Pashaga, confirmed on Tuesday his determination to develop the ministry."
    assert clean(shipped, text) == (
        "The Minister of Interior, Fathi Bashagha, confirmed on Tuesday his determination to develop the ministry."
    )


def test_muamer_gaddafi_becomes_muammar_gaddafi(shipped):
    # constructed ('Muamer Gaddafi' reported in the issue)
    assert clean(shipped, "The regime of Muamer Gaddafi collapsed in 2011.") == (
        "The regime of Muammar Gaddafi collapsed in 2011."
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        # adapted from Minbar Libya, 1 February 2020 ('Heftir fell into a dilemma')
        (
            "Heftir fell into a dilemma when he set out to invade Tripoli.",
            "Haftar fell into a dilemma when he set out to invade Tripoli.",
        ),
        # constructed ('Hiftar' reported in the issue)
        (
            "Hiftar's forces shelled the southern suburbs of Tripoli.",
            "Haftar's forces shelled the southern suburbs of Tripoli.",
        ),
    ],
)
def test_haftar_spellings_are_found_when_ambiguous_tripoli_is_the_only_other_place(shipped, text, expected):
    assert clean(shipped, text) == expected


# Places


def test_adjabiyah_becomes_ajdabiya(shipped):
    # adapted from Reuters (Alexander Dziadosz), 'East Libya rebels organize', 2011
    text = "At a checkpoint on the outskirts of the strategic eastern town of Adjabiyah, rebels stopped volunteers."
    assert clean(shipped, text) == (
        "At a checkpoint on the outskirts of the strategic eastern town of Ajdabiya, rebels stopped volunteers."
    )


@pytest.mark.parametrize("spelling", ["Kofra", "Khofra"])
def test_kofra_and_khofra_become_kufra_not_jufra(shipped, spelling):
    # adapted from AP, 13 August 2022
    text = f"The Department for Combating Irregular Migration in the southeastern city of {spelling} said Saturday."
    assert clean(shipped, text) == (
        "The Department for Combating Irregular Migration in the southeastern city of Kufra said Saturday."
    )


@pytest.mark.parametrize("spelling", ["Zauia", "Zavia"])
def test_zauia_and_zavia_become_zawiya_next_to_tripoli(shipped, spelling):
    # adapted from Middle East Eye (AFP), April 2019
    text = f"Fighters from the coastal town of {spelling}, west of Tripoli, retook the base in Janzour."
    assert (
        clean(shipped, text) == "Fighters from the coastal town of Zawiya, west of Tripoli, retook the base in Janzour."
    )


def test_iefren_becomes_yafran(shipped):
    # adapted from Wikipedia 'Yafran' (a Reuters report of 6 June 2011)
    text = "A Reuters journalist reported that the pro-Gaddafi forces were nowhere to be seen in or around Iefren."
    assert clean(shipped, text) == (
        "A Reuters journalist reported that the pro-Gaddafi forces were nowhere to be seen in or around Yafran."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ifrane is a ski resort in the Middle Atlas of Morocco.",
        "Libyan delegates met in Ifrane, Morocco, before the talks in Tripoli.",  # constructed: Libyan context
    ],
)
def test_ifrane_in_morocco_is_left_alone(shipped, text):
    assert clean(shipped, text) == text


def test_al_khoms_loses_its_article_as_the_canonical_khoms_has_none(shipped):
    # Africanews (AFP), 18 August 2023
    text = "The port of al-Khoms, one of Libya's largest, can handle a million tons of containers a year."
    assert clean(shipped, text) == text.replace("al-Khoms", "Khoms")


def test_the_thinni_government_becomes_the_thani_government(shipped):
    # Libya Herald, 2016-01-24 (reposted by Silent War Journal)
    text = (
        "They met with him at his headquarters in Marj, along with a number of like-minded members "
        "of the House of Representatives and of the Thinni government, plus delegates from the Tebu "
        "and Tuareg communities."
    )
    assert clean(shipped, text) == text.replace("Thinni government", "Thani government")


@pytest.mark.parametrize("engine", ["scan", "reference"])
@pytest.mark.parametrize("written", ["El Hums", "el-Hums", "Al-Hums"])
def test_el_hums_becomes_khoms_with_its_article(engine, written):
    # constructed: the issue saw 'El Hums' in machine-translated news
    normalizer = Normalizer.load(settings=Settings(engine=engine))
    assert clean(normalizer, f"Clashes broke out in {written}, east of Tripoli.") == (
        "Clashes broke out in Khoms, east of Tripoli."
    )


@pytest.mark.parametrize("engine", ["scan", "reference"])
def test_hums_without_an_article_stays_the_english_word(engine):
    normalizer = Normalizer.load(settings=Settings(engine=engine))
    text = "Hums of generators filled Tripoli and Khoms at night."
    assert clean(normalizer, text) == text
