"""`normalize report`: one offline page of a run, checked in a real browser (headless Chromium)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from browser import open_page
from conftest import MINI, run_cli

from normalize.batch.journal import ManifestLine
from normalize.engine.records import Change, encode_lines

ARTICLE = "In Libya, Hafter took Sirt.\nHoftoor met the GNA in Tarhunah.\n"
HOSTILE = (
    "<script>document.body.setAttribute('data-pwned', 'script')</script>\n"
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'img')\"> Hafter in Sirt, Libya.\n"
    '"</script><script>document.title = "pwned"</script> &amp; &lt;b&gt;\n'
    "\u202eevil\u202c \u200b Hafter\u0301 " + "x" * 20000 + " Sirt\n"
)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    shutil.copytree(MINI, root / "gaz")
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "in" / "<img src=x onerror=alert(1)>.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "in" / "quiet.txt").write_text("Nothing to change.\n", encoding="utf-8")
    proc = run_cli("run", "in", "-o", "out", "-q", "--no-default-gazetteers", "-g", "gaz", cwd=root)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("report", "out", cwd=root)
    assert proc.returncode == 0 and b"report.html" in proc.stdout
    return root / "out"


def _index(run: Path, name: str) -> int:
    lines = (run / ".normalize" / "manifest.jsonl").read_text().splitlines()
    return [json.loads(line)["relative"] for line in lines].index(name)


def _rows(run: Path, log: str) -> list[dict]:
    return [json.loads(line) for line in (run / log).read_text().splitlines()]


def test_the_overview_counts_what_the_run_did(run):
    page = open_page(run / "report.html")
    totals = {td.attrs["data-total"]: td.text for td in page.find_all("td") if "data-total" in td.attrs}
    assert totals["files"] == "3" and totals["exit code"] == "0" and totals["interrupted"] == "no"
    assert totals["changes"] == str(len(_rows(run, "changes.jsonl")))
    assert totals["review candidates"] == str(len(_rows(run, "review.jsonl"))) != "0"
    entity_links = [a.text for a in page.find_all("a") if a.attrs.get("data-filter") == "entity"]
    assert "khalifa_haftar" in entity_links and "sirte" in entity_links


def test_a_file_shows_each_change_with_before_after_and_method_and_review_marked_apart(run):
    page = open_page(run / "report.html", f"open={_index(run, 'a.txt')}")
    text = page.find("pre", id="text")
    assert text.text == (run / "a.txt").read_text()
    changes = [m for m in text.find_all("mark") if m.has_class("change")]
    review = [m for m in text.find_all("mark") if m.has_class("review")]
    assert [(m.attrs["data-before"], m.text) for m in changes] == [
        ("Hafter", "Haftar"),
        ("Sirt", "Sirte"),
        ("Tarhunah", "Tarhuna"),
    ]
    assert all("· exact · score 100" in m.attrs["title"] for m in changes)
    assert [m.text for m in review] == ["Hoftoor"] and "candidates: Haftar" in review[0].attrs["title"]


def test_filters_by_entity_and_method_come_from_the_address(run):
    page = open_page(run / "report.html", "entity=sirte")
    listed = [li.attrs["data-file"] for li in page.find("ul", id="file-list").find_all("li")]
    assert sorted(listed) == sorted(str(_index(run, n)) for n in ("a.txt", "<img src=x onerror=alert(1)>.txt"))
    page = open_page(run / "report.html", f"entity=sirte&open={_index(run, 'a.txt')}")
    marks = page.find("pre", id="text").find_all("mark")
    assert {m.attrs["data-entity"]: m.has_class("dim") for m in marks}["sirte"] is False
    assert all(m.has_class("dim") for m in marks if m.attrs["data-entity"] != "sirte")
    page = open_page(run / "report.html", "method=key&show=review")
    assert page.find("span", id="page-info").text == "page 1 of 1 · 1 files"


def test_a_hostile_article_and_file_name_render_as_text_and_run_nothing(run):
    page = open_page(run / "report.html", f"open={_index(run, '<img src=x onerror=alert(1)>.txt')}")
    body = page.find("body")
    assert "data-pwned" not in body.attrs and body.attrs.get("data-ready") == "1"
    assert page.find("title").text.startswith("normalize report")
    assert page.find_all("img") == []
    assert len(page.find_all("script")) == 2  # the page's own data and code, nothing added
    shown = page.find("pre", id="text").text
    assert shown == (run / "<img src=x onerror=alert(1)>.txt").read_text()
    assert "<script>document.body.setAttribute('data-pwned', 'script')</script>" in shown
    assert page.find("section", id="file").find("h2").text == "<img src=x onerror=alert(1)>.txt"


def test_the_page_is_one_file_that_asks_nothing_of_the_network(run):
    html = (run / "report.html").read_text()
    assert "default-src 'none'" in html
    assert "http://" not in html and "https://" not in html
    page = open_page(run / "report.html", f"open={_index(run, 'a.txt')}")
    assert [n.tag for n in page.find("body").iter() if "src" in n.attrs or "href" in n.attrs] == []


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
