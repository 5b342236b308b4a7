"""What a run learnt about new words is kept for the next run, beside the compiled gazetteer."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import SEED

from normalize import Normalizer
from normalize.engine import learnt


def _run_once(cache, text):
    """Normalise `text` as a run would, keeping what it learnt in `cache`; the result."""
    first = Normalizer.load(cache=cache, learnt_words=True)
    result = first.normalize(text)
    first.remember()
    return result


def _kept(folder):
    return sorted(folder.glob("*.words"))


def test_a_normaliser_keeps_the_words_it_learnt_and_the_next_one_starts_with_them(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    expected = _run_once(tmp_path, text)
    [kept] = _kept(tmp_path)
    assert "Haftar" in learnt.load(kept) or "Hafter" in learnt.load(kept)
    second = Normalizer.load(cache=tmp_path, learnt_words=True)
    assert len(second._scanner.learnt()) == len(learnt.load(kept)) > 0
    assert second.normalize(text) == expected


def test_other_match_settings_do_not_read_the_words_kept_with_these(tmp_path):
    from normalize.engine.matcher import MatchSettings
    from normalize.engine.normalizer import Settings

    _run_once(tmp_path, "Hafter met Zorgblat in Sirt.")
    other = Normalizer.load(cache=tmp_path, learnt_words=True, settings=Settings(match=MatchSettings(fuzzy_floor=70.0)))
    assert other._scanner.learnt() == {}


def test_a_kept_table_that_cannot_be_read_is_ignored(tmp_path):
    _run_once(tmp_path, "Hafter met Zorgblat in Sirt.")
    [kept] = _kept(tmp_path)
    kept.write_bytes(b"\x00not msgpack")
    again = Normalizer.load(cache=tmp_path, learnt_words=True)
    assert again._scanner.learnt() == {}
    assert again.normalize("Hafter met Zorgblat in Sirt.").text == "Haftar met Zorgblat in Sirte."


def test_a_run_with_two_workers_keeps_what_each_learnt(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for k in range(4):
        (corpus / f"a{k}.txt").write_text(f"Hafter met Zorgblat{k} in Sirt.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "normalize", "--cache-dir", str(cache), "run", str(corpus), "-o"]
    subprocess.run([*command, str(tmp_path / "out"), "-j", "2", "-q"], check=True)
    [kept] = _kept(cache)
    assert {f"Zorgblat{k}" for k in range(4)} <= set(learnt.load(kept))


def test_a_normaliser_reads_and_keeps_learnt_words_only_when_asked(tmp_path):
    first = Normalizer.load(cache=tmp_path)
    first.normalize("Hafter met Zorgblat in Sirt.")
    first.remember()
    assert _kept(tmp_path) == []


def test_the_words_of_the_latest_run_are_kept_first_when_the_table_is_full(tmp_path):
    path = tmp_path / "words"
    learnt.store(path, {"Old1": 0, "Old2": 1}, limit=3)
    learnt.store(path, {"New1": 0, "New2": 0}, limit=3)
    assert sorted(learnt.load(path)) == ["New1", "New2", "Old1"]


WORDS = [f"Zubeidat{letter}{n}" for letter in "abcdefgh" for n in range(8)]


def _known_then_clean(cleaner: Normalizer, word: str) -> tuple[int, set[str]]:
    """A worker's task for the runner: note which of WORDS this worker
    knows, clean a text with `word`, and take a while (so that both workers
    get several batches, whichever starts first)."""
    known = {w for w in WORDS if w in cleaner._scanner.learnt()}
    cleaner.normalize(f"{word} spoke in Sirt.")
    time.sleep(0.005)
    return os.getpid(), known | {word}


def test_workers_of_one_run_adopt_the_words_the_others_learnt():
    from normalize.batch.runners import processes

    outcomes = list(processes(2)(_known_then_clean, Normalizer.load(), WORDS))
    cleaned: dict[int, set[str]] = {}
    for (pid, _), word in zip(outcomes, WORDS, strict=True):
        cleaned.setdefault(pid, set()).add(word)
    last = {pid: known for pid, known in outcomes}  # what each worker knew at its last file
    assert len(last) == 2
    for pid, known in last.items():
        assert known - cleaned[pid], f"worker {pid} adopted none of the words the other learnt"


class _MarksWhenItRemembers:
    """A cleaner whose workers leave a file named by their process id when
    they keep what they learnt (`remember`)."""

    def __init__(self, folder):
        self.folder = folder

    def remember(self):
        (self.folder / str(os.getpid())).touch()


def _worker_and_item(cleaner, item):
    return os.getpid(), item


def test_workers_keep_what_they_learnt_while_the_run_still_takes_their_last_outcomes(tmp_path):
    # (not once the run has taken them all: keeping the windows of a first
    # run costs a worker a tenth of a second, which the run then waited for)
    from normalize.batch.runners import processes

    outcomes = processes(2)(_worker_and_item, _MarksWhenItRemembers(tmp_path), list(range(40)))
    taken = [next(outcomes) for _ in range(39)]  # every batch is answered, the last outcome not taken
    workers = {pid for pid, _ in taken}
    deadline = time.monotonic() + 20
    while len(list(tmp_path.iterdir())) < len(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2
    assert {int(mark.name) for mark in tmp_path.iterdir()} == workers
    assert [item for _, item in [*taken, *outcomes]] == list(range(40))


def test_two_keeping_windows_at_once_each_add_to_what_the_other_kept(tmp_path, monkeypatch):
    # the workers of a run keep what they learnt at about the same time
    import threading

    path = tmp_path / "entry.windows"
    learnt.store_windows(path, [("Hafter", 2)])
    read = learnt.file_state(path)  # both read it when they started: each keeps its windows with it
    writing, go_on = threading.Event(), threading.Event()
    keep_file = learnt.keep_file

    def slow_for_the_first(target, data):
        if threading.current_thread().name == "first":
            writing.set()
            go_on.wait(10)
        keep_file(target, data)

    monkeypatch.setattr(learnt, "keep_file", slow_for_the_first)
    first = threading.Thread(target=learnt.store_windows, args=(path, [("Sirt", 2), ("Hafter", 2)], read), name="first")
    first.start()
    assert writing.wait(10)
    theirs = [("Tharouna", 2), ("Hafter", 2)]
    second = threading.Thread(target=learnt.store_windows, args=(path, theirs, read), name="second")
    second.start()
    second.join(0.5)  # (it waits for the first to finish; without the lock it wrote meanwhile)
    go_on.set()
    first.join(10)
    second.join(10)
    assert sorted(w[0] for w in learnt.load_windows(path)) == ["Hafter", "Sirt", "Tharouna"]


def test_words_are_handed_to_a_worker_in_parts_that_two_at_a_time_fit_in_its_pipe():
    import pickle

    from normalize.batch.runners import _some

    inbox = {f"Zubeidat{n:05d}" * (1 + n % 7): n for n in range(20_000)}
    expected = dict(inbox)
    parts = []
    while inbox:
        parts.append(_some(inbox))
    assert len(parts) > 1 and {w: r for part in parts for w, r in part.items()} == expected
    assert max(len(pickle.dumps((len(parts), part))) for part in parts) < 32 << 10  # two in a 64 KiB pipe


def test_a_normaliser_hands_over_only_the_words_it_learnt_since_it_was_last_asked():
    normalizer = Normalizer.load()
    assert normalizer.fresh_words() == {}  # starts the record
    normalizer.normalize("Zubeidat spoke in Sirt.")
    assert "Zubeidat" in normalizer.fresh_words()
    assert normalizer.fresh_words() == {}
    other = Normalizer.load()
    other.adopt_words({"Zubeidat": 0})
    assert other._scanner.learnt()["Zubeidat"] == 0


def _windows(folder):
    return sorted(folder.glob("*.windows"))


def test_a_normaliser_keeps_the_windows_it_learnt_and_the_next_one_settles_them_without_learning(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    expected = _run_once(tmp_path, text)
    [kept] = _windows(tmp_path)
    second = Normalizer.load(cache=tmp_path, learnt_words=True)
    assert second._scanner.windows_told() == len(learnt.load_windows(kept)) > 0

    def learn(*args):
        raise AssertionError("a window kept by the run before was learnt again")

    second._scanner._learn_window = learn
    assert second.normalize(text) == expected
    assert len(second._scanner.plan(text).written) > 0


def test_windows_kept_with_other_settings_or_another_ignore_list_are_not_read(tmp_path):
    from normalize.engine.ignore import IgnoreList
    from normalize.engine.normalizer import Settings
    from normalize.engine.resolve import ResolveSettings

    _run_once(tmp_path, "Hafter met Aghaila in Sirt.")
    assert _windows(tmp_path)
    stricter = Settings(resolve=ResolveSettings(key_apply=90.0))
    assert Normalizer.load(cache=tmp_path, learnt_words=True, settings=stricter)._scanner.windows_told() == 0
    ignoring = IgnoreList.from_entries(["Sirt"])
    assert Normalizer.load(cache=tmp_path, learnt_words=True, ignore=ignoring)._scanner.windows_told() == 0


def test_kept_windows_that_cannot_be_read_are_ignored(tmp_path):
    _run_once(tmp_path, "Hafter met Aghaila in Sirt.")
    [kept] = _windows(tmp_path)
    kept.write_bytes(b"not a pickle")
    again = Normalizer.load(cache=tmp_path, learnt_words=True)
    assert again._scanner.windows_told() == 0
    assert again.normalize("Hafter met Aghaila in Sirt.").text == "Haftar met Aghaila in Sirte."


REGIONS = """
[gazetteer]
region = "{region}"

[{id}]
type = "place"
canonical = "{name}"
variants = ["{variant}"]

[{id}_body]
type = "org"
canonical = "{name} {body}"
variants = ["{body}"]
ambiguous = true
"""


def test_kept_windows_name_their_regions_so_a_scanner_that_numbers_regions_otherwise_reads_them_right(tmp_path):
    from normalize.engine.index import derived
    from normalize.engine.normalizer import Settings
    from normalize.engine.settled import Regions

    folder = tmp_path / "gazetteers"
    folder.mkdir()
    alpha = REGIONS.format(region="AA", id="alpha", name="Alpha", variant="Alfa", body="Assembly")
    beta = REGIONS.format(region="BB", id="beta", name="Beta", variant="Betta", body="Parliament")
    (folder / "a.toml").write_text(alpha, encoding="utf-8")
    (folder / "b.toml").write_text(beta, encoding="utf-8")
    first = Normalizer.load([folder], include_default=False, cache=tmp_path / "cache", learnt_words=True)
    for _ in range(2):
        first.normalize("In Alfa the Assembly met.\n\nIn Betta they left.\n")  # regions met: AA, then BB
    first.remember()
    [kept] = _windows(tmp_path / "cache")
    second = Normalizer.load([folder], include_default=False, cache=tmp_path / "cache", learnt_words=False)
    regions = derived(second.index, Regions)
    regions.number("BB")  # numbered in another order than the first scanner's
    regions.number("AA")
    second._scanner.adopt_windows(learnt.load_windows(kept))
    reference = Normalizer.load([folder], include_default=False, settings=Settings(engine="reference"))
    for text in ("In Betta the Assembly met.\n", "In Alfa the Assembly met.\n", "The Assembly met in Betta.\n"):
        expected = reference.normalize(text)
        assert second.normalize(text) == expected
        assert second.normalize(text) == expected
    assert reference.normalize("In Betta the Assembly met.\n").review  # nothing there is about region AA


def test_the_code_digest_changes_with_any_file_of_the_package(tmp_path, monkeypatch):
    package = tmp_path / "normalize"
    (package / "engine" / "__pycache__").mkdir(parents=True)
    (package / "engine" / "resolve.py").write_text("A = 1\n", encoding="utf-8")
    (package / "engine" / "__pycache__" / "resolve.pyc").write_bytes(b"compiled")
    monkeypatch.setattr(learnt, "_PACKAGE", package)
    before = learnt.code_digest.__wrapped__()
    (package / "engine" / "__pycache__" / "resolve.pyc").write_bytes(b"compiled again")
    assert learnt.code_digest.__wrapped__() == before  # compiled files follow the code
    (package / "engine" / "resolve.py").write_text("A = 2\n", encoding="utf-8")
    assert learnt.code_digest.__wrapped__() != before


def test_a_scanner_remembers_only_the_latest_windows_the_next_run_may_keep(monkeypatch):
    import normalize.engine.scan as scan

    monkeypatch.setattr(scan, "WINDOWS_LIMIT", 2)
    normalizer = Normalizer.load()
    normalizer.normalize("Hafter left Sirt.\n\nThen Tarhunah, Misurata and Ajdabiya.\n")
    scanner = normalizer._scanner
    assert scanner.windows_told() >= 5
    assert [w[0] for w in scanner.learnt_windows()] == ["Ajdabiya", "Misurata"]


def test_windows_another_process_kept_meanwhile_are_merged_not_lost(tmp_path):
    first = Normalizer.load(cache=tmp_path, learnt_words=True)
    second = Normalizer.load(cache=tmp_path, learnt_words=True)  # as two workers of one run
    first.normalize("Forces of Hafter left Sirt.")
    second.normalize("Later that week Tarhunah was calm.")
    first.remember()
    second.remember()
    [kept] = _windows(tmp_path)
    assert {"Hafter", "Sirt", "Tarhunah"} <= {w[0] for w in learnt.load_windows(kept)}


def test_a_kept_file_nobody_wrote_since_it_was_read_is_not_read_again(tmp_path, monkeypatch):
    _run_once(tmp_path, "Forces of Hafter left Sirt.")
    again = Normalizer.load(cache=tmp_path, learnt_words=True)
    again.normalize("Later that week Tarhunah was calm.")
    reads = []
    monkeypatch.setattr(learnt, "load_windows", lambda path: reads.append(path) or [])
    again.remember()
    assert reads == []
    [kept] = _windows(tmp_path)
    monkeypatch.undo()
    assert {"Hafter", "Sirt", "Tarhunah"} <= {w[0] for w in learnt.load_windows(kept)}


def test_adopted_windows_keep_their_order_so_the_latest_stay_first():
    first = Normalizer.load()
    first.normalize("Hafter left Sirt.\n\nThen Tarhunah.\n")
    kept = first._scanner.learnt_windows()
    second = Normalizer.load()
    second._scanner.adopt_windows(kept)
    assert [w[0] for w in second._scanner.learnt_windows()] == [w[0] for w in kept]


def test_a_scanner_that_forgot_windows_reads_the_kept_file_again_before_writing_it(tmp_path):
    _run_once(tmp_path, "Forces of Hafter left Sirt.")
    again = Normalizer.load(cache=tmp_path, learnt_words=True)
    again._scanner._max_windows = again._scanner._words.windows_known()  # its table starts over at once
    again.normalize("Later that week Tarhunah was calm.")
    assert again._scanner.forgot_windows
    again.remember()
    [kept] = _windows(tmp_path)
    assert {"Hafter", "Sirt", "Tarhunah"} <= {w[0] for w in learnt.load_windows(kept)}


def test_kept_windows_of_another_shape_are_passed_over_and_the_rest_adopted(tmp_path):
    import pickle

    _run_once(tmp_path, "Hafter met Aghaila in Sirt.")
    [kept] = _windows(tmp_path)
    windows = learnt.load_windows(kept)
    window, verdict, local, edges, names = windows[0]
    damaged = [
        ("truncated", verdict),
        (window + " x", verdict, [(*local[0][:2], 99, *local[0][3:])] if local else [(0, 1, 99)], edges, names),
        (window + " y", verdict, local, edges, ["not a name"] * len(names)),
        (window + " z", 300, local, edges, names),  # (a verdict the core cannot hold)
        (window + " w", verdict, [(5, 2, *local[0][2:])] if local else [(5, 2, 0)], edges, names),
        *windows,
    ]
    kept.write_bytes(pickle.dumps(damaged))
    again = Normalizer.load(cache=tmp_path, learnt_words=True)
    assert again._scanner.windows_told() == len(windows)
    assert again.normalize("Hafter met Aghaila in Sirt.").text == "Haftar met Aghaila in Sirte."


def test_a_package_file_that_cannot_be_read_means_no_windows_are_kept(tmp_path, monkeypatch):
    package = tmp_path / "normalize"
    package.mkdir()
    (package / "resolve.py").symlink_to(tmp_path / "gone.py")  # (a file that cannot be opened)
    monkeypatch.setattr(learnt, "_PACKAGE", package)
    assert learnt.code_digest.__wrapped__() is None
    monkeypatch.setattr(learnt, "code_digest", lambda: None)
    normalizer = Normalizer.load(cache=tmp_path / "cache", learnt_words=True)
    assert normalizer.normalize("Hafter met Aghaila in Sirt.").text == "Haftar met Aghaila in Sirte."
    normalizer.remember()
    assert not _windows(tmp_path / "cache") and _kept(tmp_path / "cache")


def test_the_words_are_kept_even_when_the_windows_cannot_be(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("windows could not be kept")

    monkeypatch.setattr(learnt, "store_windows", fail)
    normalizer = Normalizer.load(cache=tmp_path, learnt_words=True)
    normalizer.normalize("Hafter met Aghaila in Sirt.")
    with pytest.raises(RuntimeError):
        normalizer.remember()
    assert learnt.load(_kept(tmp_path)[0])["Hafter"] > 0
