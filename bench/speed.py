"""Speed benchmark: our engine against the practical limits of an exact scan, in one run.

    python bench/speed.py                          # 50 MB corpus, shipped + 10k + 100k gazetteers
    python bench/speed.py --size-mb 5 --skip-slow  # a quick look (no codespell/typos/100k)
    python bench/speed.py --seed 7 --out /tmp/speed --work /tmp/speed-corpus

A news-like corpus (many articles plus one large file) and synthetic
gazetteers of 10k and 100k spellings are generated from the seed
(bench/corpus.py).  On one core, each gazetteer size is measured with:

- ours: ``Normalizer.normalize`` over every file's text (exact, key and
  fuzzy stages, change log), one process, a fresh normaliser per pass;
- Aho-Corasick: a pyahocorasick automaton of every spelling, overlapping
  ``iter`` matches kept at word boundaries (no decision, no rewrite: the
  practical limit of an exact scan);
- trie regex: one ``\\b...\\b`` regex compiled from a character trie of the
  spellings, ``re.sub`` with a dict lookup;
- flashtext: ``KeywordProcessor.replace_keywords`` per paragraph.

In-process figures are the best of --repeat passes (others' load on a
shared machine only ever slows a pass).  The peers know only the listed
spellings, as written (ours also folds accents, articles and ALL-CAPS, and
finds unlisted spellings).  Then codespell and typos (reference CLIs of the same kind, run over the corpus
folder), the bare cost of reading and writing the files, gazetteer build
time and memory, start-up of ``python -m normalize text``, the peak memory
of a ``normalize run``, the speed-up from 1 to 2 worker processes, and
throughput against file length.  Results go to OUT/speed.json and
OUT/speed.md; the targets are printed as PASS/FAIL and the exit code is 0
regardless (timings are noisy; the figures are for people).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import ahocorasick  # noqa: E402
import corpus as gen  # noqa: E402
import psutil  # noqa: E402
from flashtext import KeywordProcessor  # noqa: E402

from normalize import Normalizer, __version__, load_gazetteers  # noqa: E402
from normalize.engine.index import Index  # noqa: E402
from normalize.engine.scan import Scanner  # noqa: E402

MB = 1_000_000  # throughput in decimal megabytes per second
MiB = 2**20  # memory in binary megabytes
SIZES = {"shipped": 0, "10k": 10_000, "100k": 100_000}  # synthetic spellings added to the shipped ones
FLASHTEXT_CAP_S = 30.0  # a whole-file flashtext call is stopped (or not started) past this
LENGTH_CAP = 4 * MiB  # longest single file in the file-length series
STARTUP_RUNS = 5
_T0 = time.perf_counter()


def log(message: str) -> None:
    print(f"[speed {time.perf_counter() - _T0:7.1f}s] {message}", file=sys.stderr, flush=True)


def mb_s(nbytes: int, seconds: float) -> float:
    return nbytes / MB / seconds if seconds > 0 else float("inf")


def timed(fn: Callable, *args):
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


CHILD_CACHE: dict[str, str] = {}  # NORMALIZE_CACHE_DIR for child runs, set by benchmark()


def child_env() -> dict[str, str]:
    """Child processes use this checkout, whatever is installed, and keep
    their compiled gazetteers in the benchmark's work folder."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "COLUMNS": "120", **CHILD_CACHE}


# --------------------------------------------------------------------------
# Test material
# --------------------------------------------------------------------------


@dataclass
class Material:
    corpus: gen.Corpus
    gazetteers: dict[str, list[Path]]  # size label -> extra gazetteer folders
    texts: list[tuple[str, str]]  # (file name, text) of every corpus file


def make_material(work: Path, size_mb: float, seed: int, sizes: list[str]) -> Material:
    for owned in ("corpus", "gazetteers"):  # a kept --work folder may hold an older, larger run
        shutil.rmtree(work / owned, ignore_errors=True)
    shipped = load_gazetteers()
    taken = gen.words_in(shipped)
    largest = max(SIZES[s] for s in sizes)
    entities = gen.synthetic_entities(largest, seed, taken) if largest else []
    folders: dict[str, list[Path]] = {"shipped": []}
    for label in sizes:
        if SIZES[label]:
            folder = work / "gazetteers" / f"synthetic-{label}"
            gen.write_gazetteer(folder, gen.prefix_with_spellings(entities, SIZES[label]))
            folders[label] = [folder]
    # The corpus mentions names of the 10k set (a prefix of the 100k one), so
    # they are hits for every synthetic gazetteer and unknown words for the
    # shipped one, and the corpus is the same with or without --skip-slow.
    mentioned = [s for e in gen.prefix_with_spellings(entities, 10_000) for s in e.spellings()]
    pool = gen.name_pool(shipped, mentioned, seed)
    corpus = gen.write_corpus(work / "corpus", int(size_mb * MB), pool, seed)
    texts = [(str(p.relative_to(corpus.root)), p.read_text(encoding="utf-8")) for p in corpus.files]
    return Material(corpus, folders, texts)


# --------------------------------------------------------------------------
# Ours and the in-process peers
# --------------------------------------------------------------------------


def measure_ours(normalizer: Normalizer, texts: list[tuple[str, str]], nbytes: int) -> dict:
    changes = review = 0
    start = time.perf_counter()
    for name, text in texts:
        result = normalizer.normalize(text, name=name)
        changes += len(result.changes)
        review += len(result.review)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "mb_s": mb_s(nbytes, seconds), "changes": changes, "review": review}


def build_aho(spellings: dict[str, str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for spelling, canonical in spellings.items():
        automaton.add_word(spelling, (len(spelling), canonical))
    automaton.make_automaton()
    return automaton


def scan_aho(automaton: ahocorasick.Automaton, text: str) -> int:
    """Whole-word matches of any spelling (overlapping, as the automaton reports them)."""
    found = 0
    last = len(text) - 1
    for end, (length, _canonical) in automaton.iter(text):
        start = end - length + 1
        if (start == 0 or not text[start - 1].isalnum()) and (end == last or not text[end + 1].isalnum()):
            found += 1
    return found


def trie_regex(spellings: list[str]) -> str:
    """One pattern for all spellings: shared prefixes written once, so the
    regex engine tries one branch per character instead of every word."""
    trie: dict = {}
    for spelling in spellings:
        node = trie
        for char in spelling:
            node = node.setdefault(char, {})
        node[""] = {}  # end of a spelling
    return r"\b(?:" + _trie_pattern(trie) + r")\b"


def _trie_pattern(node: dict) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy "?" tries the longer spelling first; \b then backs off to a shorter one.
    return f"(?:{body})?" if "" in node else body


def build_flashtext(spellings: dict[str, str]) -> KeywordProcessor:
    processor = KeywordProcessor(case_sensitive=True)
    for spelling, canonical in spellings.items():
        processor.add_keyword(spelling, canonical)
    return processor


def flashtext_paragraphs(processor: KeywordProcessor, text: str) -> str:
    # Per paragraph (a line here): flashtext's replace is quadratic in its input.
    return "\n".join(processor.replace_keywords(line) for line in text.split("\n"))


def best_of(repeat: int, fn: Callable) -> float:
    """The fastest of `repeat` runs: the machine is shared, and others' load only ever slows a run."""
    return min(timed(fn)[0] for _ in range(repeat))


def measure_peers(
    spellings: dict[str, str], index: Index, texts: list[tuple[str, str]], nbytes: int, repeat: int
) -> dict:
    peers = {}
    build, automaton = timed(build_aho, spellings)
    seconds = best_of(repeat, lambda: sum(scan_aho(automaton, t) for _, t in texts))
    peers["aho_corasick"] = {"seconds": seconds, "mb_s": mb_s(nbytes, seconds), "build_s": build}
    log(f"  aho-corasick {peers['aho_corasick']['mb_s']:.1f} MB/s")

    build, pattern = timed(lambda: re.compile(trie_regex(list(spellings))))
    seconds = best_of(repeat, lambda: [pattern.sub(lambda m: spellings[m.group()], t) for _, t in texts])
    peers["trie_regex"] = {"seconds": seconds, "mb_s": mb_s(nbytes, seconds), "build_s": build}
    log(f"  trie regex {peers['trie_regex']['mb_s']:.1f} MB/s")

    build, processor = timed(build_flashtext, spellings)
    seconds = best_of(repeat, lambda: [flashtext_paragraphs(processor, t) for _, t in texts])
    peers["flashtext"] = {"seconds": seconds, "mb_s": mb_s(nbytes, seconds), "build_s": build}
    log(f"  flashtext {peers['flashtext']['mb_s']:.1f} MB/s")

    # Not a peer: the compiled core's pass over the capitalised words, the
    # scanner's first step, with every word already seen (as in a long run).
    scanner = Scanner(index)
    for _, t in texts:
        scanner.find(t)
    seconds = best_of(repeat, lambda: [scanner.hits(t) for _, t in texts])
    peers["scan_floor"] = {"seconds": seconds, "mb_s": mb_s(nbytes, seconds), "build_s": 0.0}
    log(f"  capitalised-word pass alone {peers['scan_floor']['mb_s']:.1f} MB/s")
    return peers


# Run in a fresh interpreter, so the figures are the gazetteer's alone.  The
# peak is VmHWM (this program's own high-water mark), not ru_maxrss: a child
# started with vfork+exec inherits its parent's peak in ru_maxrss, and the
# parent holds the whole corpus.
_LOAD_PROBE = """
import json, resource, sys, time
import psutil
from normalize import Normalizer

def peak():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

before = psutil.Process().memory_info().rss
start = time.perf_counter()
normalizer = Normalizer.load(sys.argv[1:])
seconds = time.perf_counter() - start
after = psutil.Process().memory_info().rss
print(json.dumps({"build_s": seconds, "rss_delta_mib": (after - before) / 2**20,
                  "peak_delta_mib": (peak() - before) / 2**20}))
"""


def measure_build(folders: list[Path]) -> dict:
    """Load + compile time and memory of `Normalizer.load` for one gazetteer size."""
    proc = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE, *map(str, folders)],
        capture_output=True,
        text=True,
        env=child_env(),
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def warm_up(texts: list[tuple[str, str]]) -> None:
    """Pay the once-per-process costs (word list, module caches) before any timing,
    so they do not fall on whichever gazetteer size is measured first."""
    normalizer = Normalizer.load()
    budget = 200_000
    for _, text in texts:
        normalizer.normalize(text[:budget])
        budget -= len(text)
        if budget <= 0:
            break


def measure_size(label: str, material: Material, nbytes: int, repeat: int) -> dict:
    log(f"gazetteer {label}: build and memory (fresh process)")
    build = measure_build(material.gazetteers[label])
    runs = []
    for _ in range(repeat):
        # A fresh normaliser each time: its per-word fuzzy cache must not carry
        # over, or the second pass would measure a warm cache.
        normalizer = Normalizer.load(material.gazetteers[label])
        runs.append(measure_ours(normalizer, material.texts, nbytes))
        log(f"gazetteer {label}: ours {runs[-1]['mb_s']:.2f} MB/s, {runs[-1]['changes']} changes")
    spellings = gen.gazetteer_spellings(normalizer.gazetteer)
    return {
        "spellings": len(spellings),
        "build": build,
        "ours": max(runs, key=lambda r: r["mb_s"]),
        **measure_peers(spellings, normalizer.index, material.texts, nbytes, repeat),
    }


# --------------------------------------------------------------------------
# Child processes: reference CLIs, start-up, whole runs
# --------------------------------------------------------------------------

# A small wrapper process runs one command and reports its wall time and the
# peak RSS of its process tree: RUSAGE_CHILDREN of the wrapper sees only that
# command and its workers (plus at most the wrapper's own ~10 MiB, inherited
# through vfork), not the big benchmark process or the other measurements.
_RUSAGE_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "returncode": proc.returncode, "peak_rss_mib": peak,
                  "stderr": proc.stderr[-400:].decode("utf-8", "replace")}))
"""


def run_measured(cmd: list[str], *, stdin: bytes = b"", cwd: Path | None = None) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _RUSAGE_WRAPPER, *cmd],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=child_env(),
        check=True,
    )
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def find_tool(name: str) -> str | None:
    """A CLI next to this interpreter (an unactivated venv) or on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def measure_tools(corpus_root: Path, nbytes: int) -> dict:
    commands = {
        "codespell": ["--quiet-level", "0", str(corpus_root)],
        "typos": ["--threads", "1", str(corpus_root)],
    }
    tools = {}
    for name, args in commands.items():
        exe = find_tool(name)
        if exe is None:
            tools[name] = {"skipped": "not installed"}
            continue
        log(f"{name} over the corpus folder")
        # They exit non-zero when they find something: that is a finding, not a failure.
        measured = run_measured([exe, *args])
        tools[name] = {"seconds": measured["seconds"], "mb_s": mb_s(nbytes, measured["seconds"])}
        tools[name]["returncode"] = measured["returncode"]
        log(f"  {name} {tools[name]['mb_s']:.2f} MB/s (exit {measured['returncode']})")
    return tools


def normalize_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "normalize", *args]


def measure_startup(work: Path) -> dict:
    """`python -m normalize text` on one line, shipped gazetteer: what a pipeline pays per call.

    Cold: ``--no-cache``, the gazetteer is parsed and compiled every time.
    Cached: ``--cache-dir`` after one run has filled it (the default in use).
    """
    log("start-up of python -m normalize text")
    line = "Hafter’s forces entered Sirt.\n".encode()
    cache = work / "startup-cache"
    shutil.rmtree(cache, ignore_errors=True)

    def once(*options: str) -> float:
        return run_measured(normalize_cmd(*options, "text"), stdin=line, cwd=work)["seconds"]

    cold = [once("--no-cache") for _ in range(STARTUP_RUNS)]
    first = once("--cache-dir", str(cache))
    cached = [once("--cache-dir", str(cache)) for _ in range(STARTUP_RUNS)]
    return {
        "runs": cold,
        "median_s": statistics.median(cold),
        "first_s": first,
        "cached_runs": cached,
        "cached_s": statistics.median(cached),
        "cache_option": "--cache-dir",
    }


def measure_cli_runs(corpus_root: Path, work: Path, nbytes: int) -> dict:
    """Whole `normalize run`s: peak memory with the default jobs, then -j 1 against -j 2."""
    out = {}
    for label, extra in (("default_jobs", []), ("j1", ["-j", "1"]), ("j2", ["-j", "2"])):
        target = work / f"run-{label}"
        shutil.rmtree(target, ignore_errors=True)
        log(f"normalize run {' '.join(extra) or '(default jobs)'}")
        measured = run_measured(normalize_cmd("run", str(corpus_root), "-o", str(target), "-q", *extra))
        if measured["returncode"] != 0:
            log(f"  exit {measured['returncode']}: {measured['stderr']}")
        out[label] = {**measured, "mb_s": mb_s(nbytes, measured["seconds"])}
        shutil.rmtree(target, ignore_errors=True)
        log(f"  {measured['seconds']:.1f} s, peak RSS {measured['peak_rss_mib']:.0f} MiB")
    out["speedup_j2"] = out["j1"]["seconds"] / out["j2"]["seconds"]
    return out


# --------------------------------------------------------------------------
# Bare I/O and file length
# --------------------------------------------------------------------------


def copy_files(files: tuple[Path, ...], root: Path, target: Path) -> None:
    for path in files:
        text = path.read_bytes().decode("utf-8")
        out = target / path.relative_to(root)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(text.encode("utf-8"))


def measure_io(files: tuple[Path, ...], root: Path, work: Path, nbytes: int, repeat: int) -> dict:
    """Read bytes, decode, encode, write to a temp folder: the floor under any file tool."""
    passes = []
    for n in range(repeat):
        target = work / f"io-copy-{n}"  # new files each pass, as a run writes them
        passes.append(timed(copy_files, files, root, target)[0])
        shutil.rmtree(target, ignore_errors=True)
    return {"seconds": min(passes), "mb_s": mb_s(nbytes, min(passes))}


def length_steps(available: int) -> list[int]:
    steps, size = [], 16 * 1024
    while size <= min(available, LENGTH_CAP):
        steps.append(size)
        size *= 4
    return steps or [available]


# flashtext on one whole file, in a fresh interpreter: its output string grows
# by `+=`, which is linear only while the allocator can extend the string in
# place.  In a fresh process (a tool run on one file) that stops within the
# first megabyte; after other big allocations it may not, so measuring it in
# this process would depend on what ran before.
_FLASHTEXT_PROBE = """
import json, sys, time
from pathlib import Path
from flashtext import KeywordProcessor
processor = KeywordProcessor(case_sensitive=True)
for spelling, canonical in json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")).items():
    processor.add_keyword(spelling, canonical)
text = Path(sys.argv[1]).read_text(encoding="utf-8")
start = time.perf_counter()
processor.replace_keywords(text)
print(time.perf_counter() - start)
"""


def flashtext_whole_file(text_file: Path, table_file: Path, timeout: float) -> float | None:
    """Seconds of one whole-file replace, or None when it ran past `timeout`."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _FLASHTEXT_PROBE, str(text_file), str(table_file)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return float(proc.stdout.strip().splitlines()[-1])


class FlashtextSeries:
    """flashtext on growing single files, stopped before it runs for minutes."""

    def __init__(self, spellings: dict[str, str], work: Path):
        self.work = work
        self.table_file = work / "flashtext-table.json"
        self.table_file.write_text(json.dumps(spellings), encoding="utf-8")
        self.last: tuple[int, float] | None = None  # (bytes, seconds) of the last step run
        self.stopped = False

    def step(self, text: str, size: int) -> dict:
        if self.stopped:
            return {"flashtext_one_file_mb_s": None, "flashtext_skipped": "not run (a shorter file hit the cap)"}
        predicted = self.last[1] * (size / self.last[0]) ** 2 if self.last else 0.0  # quadratic growth
        if predicted > FLASHTEXT_CAP_S:
            self.stopped = True
            return {"flashtext_one_file_mb_s": None, "flashtext_skipped": f"not run (predicted {predicted:.0f} s)"}
        text_file = self.work / "one-file.txt"
        text_file.write_text(text, encoding="utf-8")
        seconds = flashtext_whole_file(text_file, self.table_file, FLASHTEXT_CAP_S)
        if seconds is None:
            self.stopped = True
            return {"flashtext_one_file_mb_s": None, "flashtext_skipped": f"stopped after {FLASHTEXT_CAP_S:.0f} s"}
        self.last = (size, seconds)
        return {"flashtext_one_file_mb_s": mb_s(size, seconds)}


def measure_file_length(normalizer: Normalizer, articles: list[str], work: Path) -> dict:
    """The same text as one file and as its articles (ours), and flashtext on the one file.

    Ours cuts long texts into parts, so its rate should hold; flashtext's
    whole-text replace is quadratic.  Ours is timed best of two (small steps
    are noisy).
    """
    flashtext = FlashtextSeries(gen.gazetteer_spellings(normalizer.gazetteer), work)
    rows = []
    for target in length_steps(sum(len(a.encode()) for a in articles)):
        chosen, size = [], 0
        for article in articles:
            if size >= target:
                break
            chosen.append(article)
            size += len(article.encode())
        log(f"file length {size / 1024:.0f} KiB")
        whole = "\n".join(chosen)
        many_s = best_of(2, lambda chosen=chosen: [normalizer.normalize(a) for a in chosen])
        one_s = best_of(2, lambda whole=whole: normalizer.normalize(whole))
        row = {"bytes": size, "ours_one_file_mb_s": mb_s(size, one_s), "ours_many_files_mb_s": mb_s(size, many_s)}
        rows.append(row | flashtext.step(whole, size))
    return {"rows": rows}


# --------------------------------------------------------------------------
# Targets and report
# --------------------------------------------------------------------------


def target(name: str, value: float | None, ok: Callable[[float], bool], shown: str, note: str = "") -> dict:
    status = "n/a" if value is None else ("PASS" if ok(value) else "FAIL")
    return {"target": name, "value": value, "shown": shown, "status": status, "note": note}


def evaluate(results: dict) -> list[dict]:
    sizes = results["sizes"]
    label = "100k" if "100k" in sizes else max(sizes, key=lambda s: sizes[s]["spellings"])
    note = "" if label == "100k" else f"measured at {label}: 100k skipped"
    ours = sizes[label]["ours"]["mb_s"]
    aho = ours / sizes[label]["aho_corasick"]["mb_s"]
    targets = [target(f"ours >= 0.6x Aho-Corasick ({label})", aho, lambda v: v >= 0.6, f"{aho:.2f}x", note)]
    for tool in ("typos", "codespell"):
        peer = results["tools"].get(tool, {})
        ratio = ours / peer["mb_s"] if "mb_s" in peer else None
        shown = f"{ratio:.2f}x" if ratio is not None else peer.get("skipped", "skipped")
        targets.append(target(f"ours ({label}) >= 2.5x {tool}", ratio, lambda v: v >= 2.5, shown, note))
    rows = results["file_length"]["rows"]
    # 20% allowance: timings on a shared machine wobble that much.
    worst = min(r["ours_one_file_mb_s"] / r["ours_many_files_mb_s"] for r in rows)
    targets.append(
        target(
            "throughput does not fall with file length (one file / many, worst)",
            worst,
            lambda v: v >= 0.8,
            f"{worst:.2f}",
            "PASS at >= 0.8",
        )
    )
    startup = results["startup"]
    cached = startup["cached_s"]
    targets.append(
        target(
            "start-up < 0.3 s with cache",
            cached,
            lambda v: v < 0.3,
            f"{cached:.2f} s",
            f"cold median {startup['median_s']:.2f} s",
        )
    )
    peak = sizes[label]["build"]["peak_delta_mib"]
    targets.append(target(f"{label} gazetteer < 300 MiB", peak, lambda v: v < 300, f"{peak:.0f} MiB", note))
    speedup = results["cli_runs"]["speedup_j2"]
    targets.append(target("2 processes >= 1.7x one", speedup, lambda v: v >= 1.7, f"{speedup:.2f}x"))
    return targets


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _load(average: list[float] | None) -> str:
    return "/".join(f"{v:.1f}" for v in average) if average else "n/a"


def markdown(results: dict) -> str:
    meta, sizes = results["meta"], results["sizes"]
    labels = list(sizes)
    lines = [
        f"# Speed: {meta['corpus_mb']:.1f} MB in {meta['files']} files (seed {meta['seed']}), "
        f"{meta['date']}, Python {meta['python']}, one core",
        "",
        f"Load average at start {_load(meta['load_average_at_start'])}, at end "
        f"{_load(meta['load_average_at_end'])} (this benchmark adds about 1). "
        "Throughput in MB/s; `ours ÷` is our speed divided by the peer's (above 1: we are faster).",
        "",
        "| method | " + " | ".join(f"{s} ({sizes[s]['spellings']} spellings) | ours ÷" for s in labels) + " |",
        "| --- |" + " ---: | ---: |" * len(labels),
    ]
    names = {
        "ours": "ours: Normalizer.normalize (exact+key+fuzzy, change log)",
        "aho_corasick": "Aho-Corasick scan + word boundaries",
        "trie_regex": "trie regex, re.sub",
        "flashtext": "flashtext replace_keywords per paragraph",
        "scan_floor": "(not a peer) our engine's first step alone: the compiled core's pass over capitalised words",
    }
    for key, name in names.items():
        cells = []
        for s in labels:
            rate = sizes[s][key]["mb_s"]
            cells += [fmt(rate), fmt(sizes[s]["ours"]["mb_s"] / rate) + "x"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    largest = labels[-1]
    ours = sizes[largest]["ours"]["mb_s"]
    lines += ["", f"Whole-corpus tools (`ours ÷` against ours at {largest}):", ""]
    lines += ["| method | MB/s | seconds | ours ÷ |", "| --- | ---: | ---: | ---: |"]
    for tool, row in results["tools"].items():
        if "mb_s" in row:
            lines.append(
                f"| {tool} (CLI, 1 thread) | {fmt(row['mb_s'])} | {fmt(row['seconds'], 1)} | "
                f"{fmt(ours / row['mb_s'])}x |"
            )
        else:
            lines.append(f"| {tool} | {row['skipped']} | | |")
    io = results["io"]
    lines.append(
        f"| read+decode+encode+write only | {fmt(io['mb_s'])} | {fmt(io['seconds'], 1)} | "
        f"{fmt(ours / io['mb_s'], 3)}x |"
    )
    runs = results["cli_runs"]
    for key, name in (("j1", "normalize run -j 1 (shipped, incl. start-up and logs)"), ("j2", "normalize run -j 2")):
        lines.append(f"| {name} | {fmt(runs[key]['mb_s'])} | {fmt(runs[key]['seconds'], 1)} | |")
    lines += ["", "| gazetteer | spellings | build s (load+compile) | peak MiB | retained MiB |"]
    lines += ["| --- | ---: | ---: | ---: | ---: |"]
    for s in labels:
        b = sizes[s]["build"]
        lines.append(
            f"| {s} | {sizes[s]['spellings']} | {fmt(b['build_s'])} | {fmt(b['peak_delta_mib'], 0)} | "
            f"{fmt(b['rss_delta_mib'], 0)} |"
        )
    st = results["startup"]
    lines += ["", "| other | figure |", "| --- | ---: |"]
    lines.append(
        f"| start-up `normalize text`, one line, cold (median of {len(st['runs'])}) | {fmt(st['median_s'])} s |"
    )
    lines.append(
        f"| start-up with the compiled gazetteer cached (median of {len(st['cached_runs'])}) | "
        f"{fmt(st['cached_s'])} s |"
    )
    lines.append(
        f"| peak RSS of `normalize run CORPUS -o OUT -q` | {fmt(runs['default_jobs']['peak_rss_mib'], 0)} MiB |"
    )
    lines.append(f"| speed-up -j 2 over -j 1 | {fmt(runs['speedup_j2'])}x |")
    lines += ["", "| one file of | ours, one file | ours, as its articles | flashtext, one file |"]
    lines += ["| ---: | ---: | ---: | ---: |"]
    for r in results["file_length"]["rows"]:
        flash = fmt(r["flashtext_one_file_mb_s"], 3) if r["flashtext_one_file_mb_s"] else r["flashtext_skipped"]
        lines.append(
            f"| {r['bytes'] / 1024:.0f} KiB | {fmt(r['ours_one_file_mb_s'])} | "
            f"{fmt(r['ours_many_files_mb_s'])} | {flash} |"
        )
    lines += ["", "| target | figure | status | note |", "| --- | ---: | --- | --- |"]
    lines += [f"| {t['target']} | {t['shown']} | {t['status']} | {t['note']} |" for t in results["targets"]]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=50.0, help="corpus size in MB (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus and synthetic gazetteers")
    parser.add_argument("--skip-slow", action="store_true", help="skip codespell, typos and the 100k gazetteer")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where speed.json and speed.md go")
    parser.add_argument("--work", type=Path, help="keep the corpus and gazetteers here (default: a temp folder)")
    parser.add_argument("--repeat", type=int, default=2, help="in-process measurements: best of N (default 2)")
    return parser.parse_args(argv)


def pin_to_one_core() -> set[int] | None:
    """Pin this process (and the children it starts) to the idlest core; return the old set."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = os.sched_getaffinity(0)
    busy = psutil.cpu_percent(interval=0.5, percpu=True)
    os.sched_setaffinity(0, {min(allowed, key=lambda cpu: busy[cpu] if cpu < len(busy) else 100.0)})
    return allowed


def benchmark(args: argparse.Namespace, work: Path) -> dict:
    sizes = ["shipped", "10k"] if args.skip_slow else list(SIZES)
    log(f"generating {args.size_mb} MB corpus and gazetteers ({', '.join(sizes)}) in {work}")
    material = make_material(work, args.size_mb, args.seed, sizes)
    CHILD_CACHE["NORMALIZE_CACHE_DIR"] = str(work / "cache")
    corpus = material.corpus
    results: dict = {"meta": meta(args, corpus)}
    allowed = pin_to_one_core()
    try:
        results["io"] = measure_io(corpus.files, corpus.root, work, corpus.bytes, args.repeat)
        warm_up(material.texts)
        results["sizes"] = {label: measure_size(label, material, corpus.bytes, args.repeat) for label in sizes}
        results["tools"] = {} if args.skip_slow else measure_tools(corpus.root, corpus.bytes)
        results["startup"] = measure_startup(work)
        articles = [text for name, text in material.texts if Path(name) != corpus.large.relative_to(corpus.root)]
        results["file_length"] = measure_file_length(Normalizer.load(), articles, work)
    finally:
        if allowed:
            os.sched_setaffinity(0, allowed)  # the -j runs need every core
    results["cli_runs"] = measure_cli_runs(corpus.root, work, corpus.bytes)
    results["targets"] = evaluate(results)
    # A busy machine (the load includes this benchmark's own core) makes every figure lower.
    results["meta"]["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    return results


def meta(args: argparse.Namespace, corpus: gen.Corpus) -> dict:
    return {
        "seed": args.seed,
        "size_mb": args.size_mb,
        "skip_slow": args.skip_slow,
        "repeat": args.repeat,
        "corpus_mb": corpus.bytes / MB,
        "files": len(corpus.files),
        "large_file_mb": corpus.large.stat().st_size / MB,
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "normalize_version": __version__,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="normalize-speed-") as temp:
        work = args.work or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        results = benchmark(args, work)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "speed.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = markdown(results)
    (args.out / "speed.md").write_text(table, encoding="utf-8")
    print(table)
    log(f"wrote {args.out / 'speed.json'} and {args.out / 'speed.md'}")
    return 0  # targets are reported, never enforced: timings are too noisy to fail on


if __name__ == "__main__":
    sys.exit(main())
