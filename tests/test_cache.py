"""Compiled gazetteers are kept between runs, and never give a stale answer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import MINI, ROOT, run_cli

import normalize.gazetteer.loading
from normalize import Normalizer


@pytest.fixture
def gazetteer(tmp_path):
    folder = tmp_path / "gaz"
    shutil.copytree(MINI, folder)
    return folder


def _no_parsing(*args, **kwargs):
    raise AssertionError("the gazetteer was parsed again")


def test_a_second_load_comes_from_the_cache(tmp_path, gazetteer, monkeypatch):
    cache = tmp_path / "cache"
    first = Normalizer.load([gazetteer], include_default=False, cache=cache)
    monkeypatch.setattr(normalize.gazetteer.loading, "load_gazetteers", _no_parsing)
    second = Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert second.gazetteer == first.gazetteer
    assert second.normalize("Hafter took Sirt.").text == first.normalize("Hafter took Sirt.").text


def test_an_edited_gazetteer_file_is_compiled_again(tmp_path, gazetteer):
    cache = tmp_path / "cache"
    before = Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert before.normalize("Hoftorr").text == "Hoftorr"
    file = next(gazetteer.glob("*.toml"))
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace('"Hafter", "Heftar"', '"Hafter", "Heftar", "Hoftorr"', 1), encoding="utf-8")
    after = Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert after.normalize("Hoftorr").text == "Haftar"
    assert len(list(cache.glob("*.pickle"))) == 2


def test_a_damaged_cache_entry_is_rebuilt(tmp_path, gazetteer):
    cache = tmp_path / "cache"
    Normalizer.load([gazetteer], include_default=False, cache=cache)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    again = Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert again.normalize("Hafter").text == "Haftar"
    assert entry.read_bytes() != b"not a pickle"


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path, gazetteer):
    blocked = tmp_path / "file-in-the-way"
    blocked.write_text("x")
    normalizer = Normalizer.load([gazetteer], include_default=False, cache=blocked / "cache")
    assert normalizer.normalize("Hafter").text == "Haftar"


def test_the_cli_keeps_compiled_gazetteers_in_the_cache_folder(tmp_path):
    cache = tmp_path / "cache"
    proc = run_cli("--cache-dir", str(cache), "text", input=b"Hafter in Sirt\n")
    assert proc.returncode == 0 and proc.stdout == b"Haftar in Sirte\n"
    assert len(list(cache.glob("*.pickle"))) == 1
    again = run_cli("--cache-dir", str(cache), "text", input=b"Hafter\n")
    assert again.stdout == b"Haftar\n"


def test_no_cache_keeps_nothing(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("NORMALIZE_CACHE_DIR", str(cache))
    proc = run_cli("--no-cache", "text", input=b"Hafter\n")
    assert proc.returncode == 0 and proc.stdout == b"Haftar\n"
    assert not cache.exists()


def test_an_entry_from_other_code_is_not_used(tmp_path, gazetteer, monkeypatch):
    cache = tmp_path / "cache"
    Normalizer.load([gazetteer], include_default=False, cache=cache)
    monkeypatch.setattr(normalize.engine.cache, "_code_digest", lambda: "other code")
    Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert len(list(cache.glob("*.pickle"))) == 2


def test_an_entry_missing_a_field_of_todays_index_is_rebuilt(tmp_path, gazetteer):
    import pickle

    cache = tmp_path / "cache"
    Normalizer.load([gazetteer], include_default=False, cache=cache)
    (entry,) = cache.glob("*.pickle")
    stored_gazetteer, index = pickle.loads(entry.read_bytes())
    del index.__dict__["fuzzy_buckets"]  # as an older version would have pickled it
    entry.write_bytes(pickle.dumps((stored_gazetteer, index)))
    again = Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert again.index.fuzzy_buckets and again.normalize("Hafter").text == "Haftar"


def test_a_one_line_call_with_a_cached_gazetteer_imports_no_parser_console_or_fuzzy_matcher(tmp_path):
    # start-up is what a pipeline pays per call: these are a tenth of it each
    # and none is needed to clean a line with a compiled gazetteer
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NORMALIZE_CACHE_DIR": str(tmp_path / "cache")}
    check = (
        "import runpy, sys\n"
        "sys.argv = ['normalize', 'text']\n"
        "try:\n    runpy.run_module('normalize', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('normalize.gazetteer.loading', 'tomlkit', 'rich', 'rapidfuzz', 'multiprocessing')"
        " if m in sys.modules), file=sys.stderr)\n"
    )
    for _ in range(2):  # the first call compiles the gazetteer into the cache
        proc = subprocess.run(
            [sys.executable, "-c", check], input=b"Hafter in Sirt\n", capture_output=True, env=env, cwd=tmp_path
        )
    assert proc.stdout == b"Haftar in Sirte\n"
    assert proc.stderr.decode().strip() == "[]"


def _edit(gazetteer, n):
    file = next(gazetteer.glob("*.toml"))
    file.write_text(file.read_text(encoding="utf-8") + f"\n# edit {n}\n", encoding="utf-8")


def test_the_cache_keeps_only_the_entries_used_last_with_their_words(tmp_path, gazetteer, monkeypatch):
    from normalize.engine import cache as cache_module

    monkeypatch.setattr(cache_module, "KEEP_ENTRIES", 2)
    cache = tmp_path / "cache"
    first = Normalizer.load([gazetteer], include_default=False, cache=cache, learnt_words=True)
    first.normalize("Hafter met Zorbal in Sirt.")
    first.remember()
    [first_entry] = cache.glob("*.pickle")
    assert len(list(cache.glob(first_entry.stem + "-*"))) == 2  # its words and windows
    os.utime(first_entry, (1, 1))  # (used long ago)
    for n in range(2):
        _edit(gazetteer, n)
        Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert len(list(cache.glob("*.pickle"))) == 2
    assert not first_entry.exists()
    assert not list(cache.glob(first_entry.stem + "-*"))  # its words and windows went with it


def test_loading_an_entry_marks_it_used_so_it_outlives_newer_ones(tmp_path, gazetteer, monkeypatch):
    from normalize.engine import cache as cache_module

    monkeypatch.setattr(cache_module, "KEEP_ENTRIES", 2)
    cache = tmp_path / "cache"
    Normalizer.load([gazetteer], include_default=False, cache=cache)
    [old] = cache.glob("*.pickle")
    os.utime(old, (1, 1))
    original = next(gazetteer.glob("*.toml")).read_bytes()
    _edit(gazetteer, 0)
    Normalizer.load([gazetteer], include_default=False, cache=cache)
    next(gazetteer.glob("*.toml")).write_bytes(original)
    Normalizer.load([gazetteer], include_default=False, cache=cache)  # the old entry, used again
    _edit(gazetteer, 1)
    Normalizer.load([gazetteer], include_default=False, cache=cache)
    assert old.exists() and len(list(cache.glob("*.pickle"))) == 2


def test_pruning_leaves_files_it_does_not_know_and_fresh_scratch_files(tmp_path):
    from normalize.engine.cache import prune

    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / ".tmp-fresh.pickle").write_bytes(b"")
    (tmp_path / ".tmp-stale.pickle").write_bytes(b"")
    os.utime(tmp_path / ".tmp-stale.pickle", (1, 1))
    prune(tmp_path, keep=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-fresh.pickle", "notes.txt"]


def test_pruning_removes_only_files_named_as_the_cache_names_its_own(tmp_path):
    from normalize.engine.cache import prune

    stranger = tmp_path / f"{'a' * 32}.pickle.bak"
    md5_named = tmp_path / f"{'b' * 32}-notes.txt"
    scratch_of_others = tmp_path / ".tmp-editor-swap"
    for path in (stranger, md5_named, scratch_of_others):
        path.write_bytes(b"")
        os.utime(path, (1, 1))
    prune(tmp_path, keep=0)
    assert stranger.exists() and md5_named.exists() and scratch_of_others.exists()


def test_learnt_words_whose_compiled_entry_is_missing_stay_while_recent(tmp_path):
    from normalize.engine.cache import prune

    words = tmp_path / f"{'c' * 32}-{'d' * 12}.words"
    words.write_bytes(b"")
    prune(tmp_path)
    assert words.exists()
