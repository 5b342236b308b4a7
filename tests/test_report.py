"""`normalize report`: one offline page of a run, checked in a real browser (headless Chromium)."""

from __future__ import annotations

import json
import random
import shutil
import struct
from pathlib import Path

import pytest
from browser import Node, open_page, screenshot
from conftest import MINI, run_cli

from normalize.batch.journal import ManifestLine
from normalize.engine.records import Change, encode_lines
from normalize.review.report import ReportOptions, write_report

ARTICLE = "In Libya, Hafter took Sirt.\nHoftoor met the GNA in Tarhunah.\n"
HOSTILE = (
    "<script>document.body.setAttribute('data-pwned', 'script')</script>\n"
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'img')\"> Hafter in Sirt, Libya.\n"
    '"</script><script>document.title = "pwned"</script> &amp; &lt;b&gt;\n'
    "\u202eevil\u202c \u200b Hafter\u0301 " + "x" * 20000 + " Sirt\n"
)
# accents, Arabic, an emoji and a flag (characters JavaScript counts as two) before the changes
MULTIBYTE = """\
Ça va. تقرير عن ليبيا 😀 🇱🇾 — Hafter took Sirt.
Hoftoor met the GNA in Tarhunah, then Heftar went to Tharouna.
"""
FIRST_SCREEN = (1400, 900)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    shutil.copytree(MINI, root / "gaz")
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "in" / "<img src=x onerror=alert(1)>.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "in" / "quiet.txt").write_text("Nothing to change.\n", encoding="utf-8")
    (root / "in" / "multibyte.txt").write_text(MULTIBYTE, encoding="utf-8")
    proc = run_cli("run", "in", "-o", "out", "-q", "--no-default-gazetteers", "-g", "gaz", cwd=root)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("report", "out", "--no-default-gazetteers", "-g", "gaz", cwd=root)
    assert proc.returncode == 0 and b"report.html" in proc.stdout
    return root / "out"


def _article(n: int) -> str:
    return f"article-{n:02d}-from-the-long-named-feed-of-a-news-agency-2020-11-23.txt"


def _filler(rng: random.Random, size: int) -> str:
    """News-like lines of about `size` characters, in English and Arabic, naming no one."""
    english = "the forces said that a convoy moved west along the coast road after talks ended late"
    arabic = "قالت القوات إن قافلة تحركت غربا على الطريق الساحلي بعد انتهاء المحادثات"
    lines, length = [], 0
    while length < size:
        words = rng.choices((english if rng.random() < 0.5 else arabic).split(), k=rng.randint(8, 20))
        lines.append(" ".join(words) + ".")
        length += len(lines[-1]) + 1
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A run over 2.5 MB of text (more than a page carries uncompressed): forty
    long-named articles, one busy file with hundreds of changes, one with
    multi-byte characters before its changes, and spellings left for review."""
    root = tmp_path_factory.mktemp("large")
    shutil.copytree(MINI, root / "gaz")
    (root / "in").mkdir()
    rng = random.Random(15)
    review = ["Hoftoor", "Houftaar", "Turhoonah", "Saarte", "Seerta"]
    for n in range(40):
        names = f"{review[n % 5]} met the GNA. Hafter took Sirt.\n"
        text = _filler(rng, 30_000) + names + _filler(rng, 30_000)
        (root / "in" / _article(n)).write_text(text, encoding="utf-8")
    (root / "in" / "busy.txt").write_text("Hafter took Sirt.\n" * 180, encoding="utf-8")
    (root / "in" / "multibyte.txt").write_text(_filler(rng, 3000) + MULTIBYTE, encoding="utf-8")
    proc = run_cli("run", "in", "-o", "out", "-q", "--no-default-gazetteers", "-g", "gaz", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert run_cli("report", "out", cwd=root).returncode == 0
    return root / "out"


def _index(run: Path, name: str) -> int:
    lines = (run / ".normalize" / "manifest.jsonl").read_text().splitlines()
    return [json.loads(line)["relative"] for line in lines].index(name)


def _rows(run: Path, log: str) -> list[dict]:
    return [json.loads(line) for line in (run / log).read_text().splitlines()]


def _sides(page: Node) -> tuple[str, str]:
    """The before and after columns of the open file, each as one text."""
    text = page.find("pre", id="text")
    cells = [n for n in text.children if isinstance(n, Node)]
    before = "\n".join(n.text for n in cells if n.has_class("before"))
    after = "\n".join(n.text for n in cells if n.has_class("after"))
    return before, after


def _input(run: Path, name: str) -> str:
    return (run.parent / "in" / name).read_text(encoding="utf-8")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_overview_counts_what_the_run_did(run):
    page = open_page(run / "report.html")
    totals = {td.attrs["data-total"]: td.text for td in page.find_all("td") if "data-total" in td.attrs}
    assert totals["files"] == "4" and totals["exit code"] == "0" and totals["interrupted"] == "no"
    assert totals["changes"] == str(len(_rows(run, "changes.jsonl")))
    assert totals["review candidates"] == str(len(_rows(run, "review.jsonl"))) != "0"


def test_entities_are_shown_by_the_gazetteers_canonical_name_and_filtered_by_their_id(run):
    # Hafter became "Haftar", the short form; the entity's name is its full canonical
    page = open_page(run / "report.html", f"open={_index(run, 'a.txt')}")
    links = {a.text: a.attrs["data-value"] for a in page.find_all("a") if a.attrs.get("data-filter") == "entity"}
    assert links == {"Khalifa Haftar": "khalifa_haftar", "Sirte": "sirte", "Tarhuna": "tarhuna"}
    shown = [tr.find_all("td")[2].text for tr in page.find("table", id="marks").find_all("tr")]
    assert shown == ["Khalifa Haftar", "Sirte", "Haftar?", "Tarhuna"]  # a review candidate: its candidates


def test_without_the_gazetteers_an_entity_is_named_by_what_its_changes_wrote(run, tmp_path):
    page = tmp_path / "report.html"
    write_report(run, page, ReportOptions())
    links = {a.text for a in open_page(page).find_all("a") if a.attrs.get("data-filter") == "entity"}
    assert "Haftar" in links and "Khalifa Haftar" not in links


def test_a_file_shows_its_input_and_its_clean_copy_side_by_side(run):
    page = open_page(run / "report.html", f"open={_index(run, 'a.txt')}")
    before, after = _sides(page)
    assert (before, after) == (_input(run, "a.txt"), (run / "a.txt").read_text())
    rows = [n for n in page.find("pre", id="text").children if isinstance(n, Node) and n.has_class("before")]
    assert [r.text for r in rows][:2] == ["In Libya, Hafter took Sirt.", "Hoftoor met the GNA in Tarhunah."]


def test_a_file_shows_each_change_with_before_after_and_method_and_review_marked_apart(run):
    page = open_page(run / "report.html", f"open={_index(run, 'a.txt')}")
    text = page.find("pre", id="text")
    changes = [m for m in text.find_all("mark") if m.has_class("change")]
    review = [m for m in text.find_all("mark") if m.has_class("review")]
    assert [(m.attrs["data-before"], m.text) for m in changes] == [
        ("Hafter", "Haftar"),
        ("Sirt", "Sirte"),
        ("Tarhunah", "Tarhuna"),
    ]
    assert [d.text for d in text.find_all("del")] == ["Hafter", "Sirt", "Tarhunah"]
    assert all("· exact · score 100" in m.attrs["title"] for m in changes)
    assert [m.text for m in review] == ["Hoftoor"] and "candidates: Haftar" in review[0].attrs["title"]


def test_before_and_after_are_right_where_accents_arabic_and_emoji_come_first(run):
    page = open_page(run / "report.html", f"open={_index(run, 'multibyte.txt')}")
    assert _sides(page) == (MULTIBYTE, (run / "multibyte.txt").read_text(encoding="utf-8"))
    marks = page.find("pre", id="text").find_all("mark")
    assert [(m.attrs["data-before"], m.text) for m in marks] == [
        ("Hafter", "Haftar"),
        ("Sirt", "Sirte"),
        ("Hoftoor", "Hoftoor"),
        ("Tarhunah", "Tarhuna"),
        ("Heftar", "Haftar"),
        ("Tharouna", "Tarhuna"),
    ]


def test_filters_by_entity_and_method_come_from_the_address(run):
    page = open_page(run / "report.html", "entity=sirte")
    listed = [li.attrs["data-file"] for li in page.find("ul", id="file-list").find_all("li")]
    named = ("a.txt", "<img src=x onerror=alert(1)>.txt", "multibyte.txt")
    assert sorted(listed) == sorted(str(_index(run, n)) for n in named)
    page = open_page(run / "report.html", f"entity=sirte&open={_index(run, 'a.txt')}")
    marks = page.find("pre", id="text").find_all("mark")
    assert {m.attrs["data-entity"]: m.has_class("dim") for m in marks}["sirte"] is False
    assert all(m.has_class("dim") for m in marks if m.attrs["data-entity"] != "sirte")
    page = open_page(run / "report.html", "method=key&show=review")
    assert page.find("span", id="page-info").text == "page 1 of 1 · 2 files"


def test_the_first_screen_lists_the_files_with_the_most_changes_and_the_spellings_waiting_for_review(large):
    page = open_page(large / "report.html")
    top = [tr.find_all("td") for tr in page.find("table", id="top-files").find("tbody").find_all("tr")]
    assert [(row[0].text, row[1].text) for row in top[:2]] == [("busy.txt", "360"), ("multibyte.txt", "5")]
    assert top[0][0].find("a").attrs["data-open"] == str(_index(large, "busy.txt"))
    spellings = [tr.find_all("td") for tr in page.find("table", id="spellings").find_all("tr")]
    counted = {row[0].text: (row[1].text, row[2].text) for row in spellings}
    assert counted == {
        "Hoftoor": ("9", "9 files"),  # eight articles and multibyte.txt
        "Houftaar": ("8", "8 files"),
        "Turhoonah": ("8", "8 files"),
        "Saarte": ("8", "8 files"),
        "Seerta": ("8", "8 files"),
    }
    assert spellings[0][0].find("a").attrs == {"data-filter": "spelling", "data-value": "Hoftoor"}


def test_a_review_spelling_links_to_the_files_where_it_waits(large):
    page = open_page(large / "report.html", "spelling=Houftaar")
    listed = [li.find("a").text for li in page.find("ul", id="file-list").find_all("li")]
    assert listed == [_article(n) for n in range(1, 40, 5)]  # the articles naming Houftaar
    page = open_page(large / "report.html", f"spelling=Houftaar&open={_index(large, listed[0])}")
    marks = page.find("pre", id="text").find_all("mark")
    assert [m.text for m in marks if not m.has_class("dim")] == ["Houftaar"]


def test_a_hostile_article_and_file_name_render_as_text_and_run_nothing(run):
    page = open_page(run / "report.html", f"open={_index(run, '<img src=x onerror=alert(1)>.txt')}")
    body = page.find("body")
    assert "data-pwned" not in body.attrs and body.attrs.get("data-ready") == "1"
    assert page.find("title").text.startswith("normalize report")
    assert page.find_all("img") == []
    assert len(page.find_all("script")) == 2  # the page's own data and code, nothing added
    before, after = _sides(page)
    assert (before, after) == (HOSTILE, (run / "<img src=x onerror=alert(1)>.txt").read_text())
    assert "<script>document.body.setAttribute('data-pwned', 'script')</script>" in after
    assert page.find("section", id="file").find("h2").text == "<img src=x onerror=alert(1)>.txt"


@pytest.mark.parametrize("which", ["run", "large"])
def test_the_page_is_one_file_that_asks_nothing_of_the_network(which, request):
    out = request.getfixturevalue(which)
    html = (out / "report.html").read_text()
    assert "default-src 'none'" in html
    assert "http://" not in html and "https://" not in html
    page = open_page(out / "report.html", f"open={_index(out, 'multibyte.txt')}")
    assert page.find("body").attrs.get("data-ready") == "1"
    assert [n.tag for n in page.find("body").iter() if "src" in n.attrs or "href" in n.attrs] == []


def test_each_text_is_carried_once(run):
    html = (run / "report.html").read_text(encoding="utf-8")
    assert html.count("In Libya, Haftar took Sirte.") == 1  # the clean copy
    assert "In Libya, Hafter" not in html  # the input: rebuilt from the clean copy and the changes
    assert "تقرير عن ليبيا" in html  # as UTF-8 characters, not six-byte escapes


def test_the_page_of_a_large_run_is_smaller_than_its_corpus(large):
    corpus = sum(p.stat().st_size for p in (large.parent / "in").iterdir())
    assert corpus > 2_500_000
    assert (large / "report.html").stat().st_size < corpus


def test_a_compressed_text_shows_before_and_after_right_where_multibyte_characters_come_first(large):
    page = open_page(large / "report.html", f"open={_index(large, 'multibyte.txt')}")
    before, after = _sides(page)
    assert (before, after) == (_input(large, "multibyte.txt"), (large / "multibyte.txt").read_text(encoding="utf-8"))
    replaced = [d.text for d in page.find("pre", id="text").find_all("del")]
    assert replaced == ["Hafter", "Sirt", "Tarhunah", "Heftar", "Tharouna"]
    assert "Hafter took Sirt" not in (large / "report.html").read_text(encoding="utf-8")  # compressed


def test_past_the_text_budget_a_file_shows_the_lines_around_its_changes_numbered_as_in_the_input(large, tmp_path):
    page = write_report(large, tmp_path / "snippets.html", ReportOptions(text_budget=0), warn=pytest.fail)
    page = open_page(page, f"open={_index(large, 'multibyte.txt')}")
    cells = [n for n in page.find("pre", id="text").children if isinstance(n, Node)]
    assert [n.has_class("gap") for n in cells].count(True) == 1  # the lines before the changes are left out
    text, clean = _input(large, "multibyte.txt"), (large / "multibyte.txt").read_text(encoding="utf-8")
    before, after = _sides(page)
    assert before in text and after in clean and before.endswith(MULTIBYTE)
    first = text.index("Hafter") - 160  # where the piece starts: the clean text is the input up to there
    assert cells[cells.index(page.find("span", class_="gap")) + 1].text == str(text[:first].count("\n") + 1)


def test_the_first_screen_at_1400_by_900_wraps_no_number_and_shows_the_lists_and_no_empty_panel(large):
    page = open_page(large / "report.html", "layout-check", window=FIRST_SCREEN)
    facts = json.loads(page.find("body").attrs["data-layout"])
    width, fold = facts["viewport"]
    assert width == 1400 and 700 < fold <= 900
    assert facts["numbers"] > 40 and facts["wrapped"] == []
    assert facts["first_file"] <= fold and facts["first_top_file"] <= fold and facts["first_spelling"] <= fold
    assert facts["empty"] == []


def test_a_screenshot_of_the_first_screen_is_1400_by_900(large, tmp_path):
    shot = screenshot(large / "report.html", tmp_path / "first-screen.png", FIRST_SCREEN)
    assert _png_size(shot) == FIRST_SCREEN


def test_a_run_of_ten_thousand_files_opens_on_a_page_of_its_list(tmp_path):
    out = tmp_path / "out"
    (out / ".normalize").mkdir(parents=True)
    manifest, changes = [], []
    for n in range(10_000):
        name = f"d{n // 1000}/{n:05d}.txt"
        (out / name).parent.mkdir(exist_ok=True)
        (out / name).write_text("Forces of Haftar entered Sirte.\n")
        manifest.append(ManifestLine(f"in/{name}", name, "in-sha", "key", "out-sha", "utf-8", None, 2, 0))
        pairs = (("Hafter", "Haftar", 10, "khalifa_haftar"), ("Sirt", "Sirte", 25, "sirte"))
        for before, after, start, entity in pairs:
            end = start + len(before)
            place = (f"in/{name}", 1, start + 1, start, end, start, end)
            changes.append(Change(*place, before, after, entity, "g.toml", 1, "exact", 100.0))
    (out / ".normalize" / "manifest.jsonl").write_bytes(encode_lines(manifest))
    (out / "changes.jsonl").write_bytes(encode_lines(changes))
    assert run_cli("report", str(out)).returncode == 0
    page = open_page(out / "report.html", "page=2")
    assert page.find("span", id="page-info").text == "page 2 of 100 · 10000 files"
    assert len(page.find("ul", id="file-list").find_all("li")) == 100
    page = open_page(out / "report.html", "open=9999")
    assert [m.text for m in page.find("pre", id="text").find_all("mark")] == ["Haftar", "Sirte"]


def test_json_lines_changes_are_listed_by_record_and_a_bad_file_is_named(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text('{"id": 1, "text": "Hafter took Sirt."}\n{"id": 2, "text": "Sirt"}\n')
    (tmp_path / "in" / "b.jsonl").write_bytes(b"\x00binary")
    proc = run_cli("run", "in", "-o", "out", "-q", "--glob", "*.jsonl", cwd=tmp_path)
    assert proc.returncode == 3
    assert run_cli("report", "out", cwd=tmp_path).returncode == 0
    page = open_page(tmp_path / "out" / "report.html", "open=0")
    rows = [[td.text for td in tr.find_all("td")][:2] for tr in page.find("table", id="marks").find_all("tr")]
    assert rows == [["record 1", "Hafter → Haftar"], ["record 1", "Sirt → Sirte"], ["record 2", "Sirt → Sirte"]]
    bad = [li for li in page.find("ul", id="file-list").find_all("li") if li.has_class("error")]
    assert [li.text for li in bad] == ["b.jsonl: looks binary: NUL byte at offset 0"]


def test_a_run_that_kept_each_files_encoding_shows_its_texts_decoded(tmp_path):
    inputs = {
        "arabic.txt": ("قوات حفتر Hafter took Sirt.\n", "cp1256"),
        "french.txt": ("Le maréchal Hafter à Syrte, Sirt.\n", "cp1252"),
    }
    (tmp_path / "in").mkdir()
    for name, (text, codec) in inputs.items():
        (tmp_path / "in" / name).write_bytes(text.encode(codec))
    run_cli("run", "in", "-o", "out", "-q", "--output-encoding", "original", cwd=tmp_path)
    assert run_cli("report", "out", cwd=tmp_path).returncode == 0
    out = tmp_path / "out"
    for name, (text, codec) in inputs.items():
        page = open_page(out / "report.html", f"open={_index(out, name)}")
        before, after = _sides(page)
        assert (before, after) == (text, (out / name).read_bytes().decode(codec))
