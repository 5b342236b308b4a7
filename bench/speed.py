"""Speed benchmark: our engine and our CLI against the practical limits of an exact scan, in one run.

    python bench/speed.py                          # 50 MB corpus, shipped + 10k + 100k gazetteers
    python bench/speed.py --size-mb 5 --skip-slow  # a quick look (no codespell/typos/100k)
    python bench/speed.py --seed 7 --out /tmp/speed --work /dev/shm/speed

A news-like corpus (many articles plus one large file) and synthetic
gazetteers of 10k and 100k spellings are generated from the seed
(bench/corpus.py) into the work folder (default: a temp folder on tmpfs,
/dev/shm, when there is room, since this machine's ext4 makes file creation
slow after large deletions; else the system temp folder).

Engine alone, one core (the process is pinned to its idlest core).  Each
gazetteer size is measured with:

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
finds unlisted spellings).  Also on one core: the bare cost of reading and
writing the files, gazetteer build time and memory (in a fresh process),
start-up of ``python -m normalize text`` (cold and with the compiled
gazetteer cached), and throughput against file length.

Whole runs, every core available, each a child process over the corpus
folder, in --repeat rounds whose order alternates (the best round of each
command counts; wall, user and system seconds of its process tree are
reported):

- ``normalize run -j 1`` and ``-j 2`` (shipped gazetteer, start-up, change
  log and journal included), each into a fresh output folder;
- typos (``--threads 1``) and codespell, reporting only (not with
  --skip-slow);
- a raw-scan script (written to the work folder at run time): it walks the
  corpus folder, reads each .txt file as UTF-8, finds the shipped
  gazetteer's spellings with a pyahocorasick automaton and the same
  word-boundary filter, replaces the leftmost-longest whole-word matches by
  their canonical and writes each file to a fresh mirrored folder: the same
  reading and writing as ours, with the simplest possible decision.

Peak memory of a run: the high-water RSS of ``normalize run -j 1`` over the
corpus (one process does all the work, so its ``ru_maxrss`` is the run's
peak; the highest of the rounds), minus that of the same command over an
empty folder (interpreter, imports, gazetteer from the cache: the fixed
cost), divided by the size of the largest corpus file.  What a run keeps besides the file in hand (caches
growing with the corpus, lazily loaded word lists) counts against it.  The
peak RSS with the default number of workers is reported too.

Results go to OUT/speed.json and OUT/speed.md; the targets (issue 14) are
printed as PASS/FAIL, speed always as a ratio of figures measured in the
same run (start-up as seconds, memory as MiB or a ratio), and the exit code
is 0 regardless (timings are noisy; the figures are for people).
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import re
import resource
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
# The figures are the shipped gazetteers', never what a maintainer added to
# their own (a folder that does not exist: none is read; children inherit it).
os.environ["NORMALIZE_GAZETTEER_DIR"] = str(ROOT / "bench" / "no-user-gazetteers")

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
TMPFS = Path("/dev/shm")  # default home of the work folder, when it has room
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
    runs, again = [], []
    for _ in range(repeat):
        # A fresh normaliser each time: its per-word fuzzy cache must not carry
        # over, or the second pass would measure a warm cache.
        normalizer = Normalizer.load(material.gazetteers[label])
        runs.append(measure_ours(normalizer, material.texts, nbytes))
        log(f"gazetteer {label}: ours {runs[-1]['mb_s']:.2f} MB/s, {runs[-1]['changes']} changes")
        # Not a peer: the same normaliser over the corpus again, every word
        # and window seen once already (what a long run, or the next run
        # with what the last one kept, pays per text).
        again.append(measure_ours(normalizer, material.texts, nbytes))
        log(f"gazetteer {label}: ours again {again[-1]['mb_s']:.2f} MB/s, {again[-1]['changes']} changes")
    spellings = gen.gazetteer_spellings(normalizer.gazetteer)
    return {
        "spellings": len(spellings),
        "build": build,
        "ours": max(runs, key=lambda r: r["mb_s"]),
        "ours_again": max(again, key=lambda r: r["mb_s"]),
        **measure_peers(spellings, normalizer.index, material.texts, nbytes, repeat),
    }


# --------------------------------------------------------------------------
# Child processes: reference CLIs, start-up, whole runs
# --------------------------------------------------------------------------

# A small wrapper process runs one command and reports its wall time, the
# user and system CPU seconds of its process tree and the tree's peak RSS
# (the largest of its processes): RUSAGE_CHILDREN of the wrapper sees only
# that command and its workers (plus at most the wrapper's own ~10 MiB,
# inherited through vfork), not the big benchmark process or the other
# measurements.
_RUSAGE_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "returncode": proc.returncode, "peak_rss_mib": usage.ru_maxrss / 1024,
                  "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
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


def normalize_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "normalize", *args]


def measure_startup(work: Path) -> dict:
    """`python -m normalize text` on one line, shipped gazetteer: what a pipeline pays per call.

    Cold: ``--no-cache``, the gazetteer is parsed and compiled every time.
    Cached: ``--cache-dir`` after one run has filled it (the default in use).
    The package's modules are byte-compiled first, as an installed package's are.
    """
    log("start-up of python -m normalize text")
    # An installed package has its bytecode (pip compiles it); a checkout run
    # with PYTHONDONTWRITEBYTECODE would compile every module at every start.
    compileall.compile_dir(ROOT / "normalize", quiet=1)
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


# The raw-scan peer of `normalize run`: the same reading and writing, the
# simplest decision.  Written to the work folder and run as a script, so it
# pays its own start-up as ours does.
_RAWSCAN_SCRIPT = '''"""Raw-scan peer of `normalize run`, written by bench/speed.py.

    python rawscan.py SOURCE TARGET TABLE.json

Walks SOURCE, reads each .txt file as UTF-8, replaces the leftmost-longest
whole-word matches of TABLE's spellings by their canonical (a pyahocorasick
automaton, the word-boundary filter of speed.py's scan_aho) and writes each
file to the same place under TARGET.  Prints a JSON summary on stderr.
"""
import json
import os
import sys
from pathlib import Path

import ahocorasick

source, target, table = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
automaton = ahocorasick.Automaton()
for spelling, canonical in json.loads(table.read_text(encoding="utf-8")).items():
    automaton.add_word(spelling, (len(spelling), canonical))
automaton.make_automaton()


def rewrite(text):
    last = len(text) - 1
    found = []
    for end, (length, canonical) in automaton.iter(text):
        start = end - length + 1
        if (start == 0 or not text[start - 1].isalnum()) and (end == last or not text[end + 1].isalnum()):
            found.append((start, -length, canonical))
    if not found:
        return text, 0
    found.sort()  # leftmost first, then longest
    parts, pos = [], 0
    for start, minus_length, canonical in found:
        if start >= pos:
            parts += (text[pos:start], canonical)
            pos = start - minus_length
    parts.append(text[pos:])
    return "".join(parts), len(parts) // 2


files = replaced = 0
made = set()
for path in sorted(source.rglob("*.txt")):
    text, count = rewrite(path.read_bytes().decode("utf-8"))
    out = target / path.relative_to(source)
    if out.parent not in made:
        os.makedirs(out.parent, exist_ok=True)
        made.add(out.parent)
    out.write_bytes(text.encode("utf-8"))
    files += 1
    replaced += count
print(json.dumps({"files": files, "replaced": replaced}), file=sys.stderr)
'''


def write_rawscan(folder: Path) -> None:
    """The raw-scan script and its table: the shipped gazetteer's spellings -> canonical."""
    table = gen.gazetteer_spellings(load_gazetteers())
    (folder / "rawscan-table.json").write_text(json.dumps(table), encoding="utf-8")
    (folder / "rawscan.py").write_text(_RAWSCAN_SCRIPT, encoding="utf-8")


def rawscan_cmd(folder: Path, source: Path, out: Path) -> list[str]:
    return [sys.executable, str(folder / "rawscan.py"), str(source), str(out), str(folder / "rawscan-table.json")]


def whole_run_commands(corpus_root: Path, folder: Path, with_tools: bool) -> tuple[dict, dict]:
    """Label -> (output folder -> command) of every whole run; label -> reason of those skipped."""
    write_rawscan(folder)
    root = str(corpus_root)
    commands: dict[str, Callable[[Path], list[str]]] = {}
    skipped: dict[str, str] = {}
    # typos and codespell only report (they exit non-zero when they find
    # something: that is a finding, not a failure); they are given no output folder.
    for tool, args in (("typos", ["--threads", "1", root]), ("codespell", ["--quiet-level", "0", root])):
        exe = find_tool(tool) if with_tools else None
        if exe is None:
            skipped[tool] = "not installed" if with_tools else "skipped (--skip-slow)"
        else:
            commands[tool] = lambda _out, exe=exe, args=args: [exe, *args]
    commands["rawscan"] = lambda out: rawscan_cmd(folder, corpus_root, out)
    for jobs in ("1", "2"):
        commands[f"j{jobs}"] = lambda out, jobs=jobs: normalize_cmd("run", root, "-o", str(out), "-q", "-j", jobs)
    return commands, skipped


def _last_json(text: str) -> dict | None:
    try:
        return json.loads(text.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None


def forget_learnt_words() -> None:
    """Remove what earlier runs learnt about the corpus' words and windows
    from the child runs' cache (the compiled gazetteer stays): a timed run
    is a first run over a corpus whose words it has never met."""
    for pattern in ("*.words", "*.windows"):
        for kept in Path(CHILD_CACHE["NORMALIZE_CACHE_DIR"]).glob(pattern):
            kept.unlink(missing_ok=True)


def measure_whole_runs(corpus: gen.Corpus, work: Path, repeat: int, with_tools: bool) -> dict:
    """Whole CLI runs over the corpus folder, in alternating rounds; then peak memory.

    Every run writes into a folder of its own, created for it; all of them are
    deleted together at the end, so no run creates files right after a large
    deletion.  Run from the work folder, so no normalize.toml applies.  Each
    timed `normalize run` starts without the words and windows earlier runs
    learnt (`forget_learnt_words`); one more `-j 1` run afterwards keeps them.
    """
    folder = work / "whole-runs"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "empty").mkdir(parents=True)
    commands, skipped = whole_run_commands(corpus.root, folder, with_tools)

    def run(label: str, cmd: list[str]) -> dict:
        measured = run_measured(cmd, cwd=work)
        if measured["returncode"] != 0 and label not in ("typos", "codespell"):
            log(f"  {label}: exit {measured['returncode']}: {measured['stderr']}")
        return {**measured, "mb_s": mb_s(corpus.bytes, measured["seconds"])}

    try:
        # Untimed: fill the compiled-gazetteer cache and the OS caches.  The
        # second run over an empty folder is the fixed cost of a run's memory.
        log("whole runs: warm-up, then a run over an empty folder")
        empty = str(folder / "empty")
        run("j1", normalize_cmd("run", empty, "-o", str(folder / "warm-j1"), "-q", "-j", "1"))
        run("rawscan", rawscan_cmd(folder, folder / "empty", folder / "warm-rawscan"))
        empty_j1 = run("j1", normalize_cmd("run", empty, "-o", str(folder / "empty-j1"), "-q", "-j", "1"))
        runs: dict[str, list[dict]] = {label: [] for label in commands}
        for n in range(repeat):
            order = list(commands) if n % 2 == 0 else list(reversed(commands))
            for label in order:
                out = folder / f"{label}-{n}"
                if label in ("j1", "j2"):
                    forget_learnt_words()  # each timed run meets the corpus' words for the first time
                measured = run(label, commands[label](out))
                runs[label].append(measured)
                log(
                    f"  round {n + 1}: {label} {measured['mb_s']:.2f} MB/s, {measured['seconds']:.2f} s "
                    f"(user {measured['user_s']:.2f} s, sys {measured['sys_s']:.2f} s)"
                )
        log("normalize run -j 1 again, with the words and windows the run before learnt (engine/learnt.py)")
        rerun_j1 = run("j1", commands["j1"](folder / "rerun-j1"))
        log("normalize run (default jobs), for its peak memory")
        default_jobs = run("default", normalize_cmd("run", str(corpus.root), "-o", str(folder / "default"), "-q"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    best = {label: min(measured, key=lambda r: r["seconds"]) | {"runs": measured} for label, measured in runs.items()}
    largest = max(path.stat().st_size for path in corpus.files)
    peak = max(r["peak_rss_mib"] for r in runs["j1"])
    return {
        "tools": {tool: best.get(tool) or {"skipped": skipped[tool]} for tool in ("typos", "codespell")},
        "rawscan": best["rawscan"] | {"summary": _last_json(best["rawscan"]["stderr"])},
        "cli_runs": {
            "j1": best["j1"],
            "j2": best["j2"],
            "rerun_j1": rerun_j1,
            "default_jobs": default_jobs,
            "empty_j1": empty_j1,
            "speedup_j2": best["j1"]["seconds"] / best["j2"]["seconds"],
        },
        "run_memory": {
            "largest_file_bytes": largest,
            "peak_j1_mib": peak,
            "fixed_mib": empty_j1["peak_rss_mib"],
            "ratio": (peak - empty_j1["peak_rss_mib"]) / (largest / MiB),
        },
    }


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
    """Read bytes, decode, encode, write to a fresh folder: the floor under any file tool."""
    passes = []
    try:
        for n in range(repeat):
            target = work / f"io-copy-{n}"  # new files each pass, as a run writes them
            shutil.rmtree(target, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_SELF)
            seconds = timed(copy_files, files, root, target)[0]
            after = resource.getrusage(resource.RUSAGE_SELF)
            passes.append(
                {
                    "seconds": seconds,
                    "user_s": after.ru_utime - before.ru_utime,
                    "sys_s": after.ru_stime - before.ru_stime,
                }
            )
    finally:  # deleted together at the end: creating files right after a large deletion is slow on ext4
        for n in range(repeat):
            shutil.rmtree(work / f"io-copy-{n}", ignore_errors=True)
    best = min(passes, key=lambda p: p["seconds"])
    return {**best, "mb_s": mb_s(nbytes, best["seconds"])}


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
    """The targets of issue 14, each a ratio of figures from this run (or a time or size)."""
    sizes = results["sizes"]
    targets = []
    for label, size in sizes.items():
        ratio = size["ours"]["mb_s"] / size["aho_corasick"]["mb_s"]
        targets.append(
            target(
                f"engine alone >= 1.0x Aho-Corasick scan ({label}, {size['spellings']} spellings)",
                ratio,
                lambda v: v >= 1.0,
                f"{ratio:.2f}x",
                f"{size['ours']['mb_s']:.1f} vs {size['aho_corasick']['mb_s']:.1f} MB/s, one core",
            )
        )
    runs, rawscan = results["cli_runs"], results["rawscan"]
    j1, j2 = runs["j1"], runs["j2"]
    failed = [f"-{k} exit {runs[k]['returncode']}" for k in ("j1", "j2") if runs[k]["returncode"] != 0]
    if rawscan["returncode"] != 0:
        failed.append(f"raw scan exit {rawscan['returncode']}")
    broken = ("; " + ", ".join(failed)) if failed else ""
    for tool, times in (("typos", 3.0), ("codespell", 4.0)):
        peer = results["tools"][tool]
        ratio = j1["mb_s"] / peer["mb_s"] if "mb_s" in peer else None
        targets.append(
            target(
                f"normalize run -j 1 >= {times:g}x {tool}",
                ratio,
                lambda v, times=times: v >= times,
                f"{ratio:.2f}x" if ratio is not None else peer["skipped"],
                f"{j1['mb_s']:.1f} vs {peer['mb_s']:.1f} MB/s, whole CLI runs, same folder{broken}"
                if ratio is not None
                else "",
            )
        )
    ratio = j2["mb_s"] / rawscan["mb_s"]
    targets.append(
        target(
            "normalize run -j 2 >= 1.0x raw-scan script",
            ratio,
            lambda v: v >= 1.0,
            f"{ratio:.2f}x",
            f"{j2['mb_s']:.1f} vs {rawscan['mb_s']:.1f} MB/s; same reading and writing, fresh folders{broken}",
        )
    )
    speedup = runs["speedup_j2"]
    targets.append(
        target("normalize run -j 2 >= 1.7x -j 1", speedup, lambda v: v >= 1.7, f"{speedup:.2f}x", broken[2:])
    )
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
            "start-up < 0.2 s with the gazetteer cached",
            cached,
            lambda v: v < 0.2,
            f"{cached:.2f} s",
            f"`normalize text`, one line; cold median {startup['median_s']:.2f} s",
        )
    )
    limit = 150 * MB / MiB  # the 150 MB, in the MiB of the rest of this report
    name = f"100k gazetteer in memory < 150 MB ({limit:.0f} MiB)"
    if "100k" in sizes:
        build = sizes["100k"]["build"]
        peak = build["peak_delta_mib"]
        note = f"peak while loading; {build['rss_delta_mib']:.0f} MiB retained"
        targets.append(target(name, peak, lambda v: v < limit, f"{peak:.0f} MiB", note))
    else:
        largest = max(sizes, key=lambda s: sizes[s]["spellings"])
        note = f"100k skipped; {largest}: {sizes[largest]['build']['peak_delta_mib']:.0f} MiB"
        targets.append(target(name, None, lambda v: False, "skipped (--skip-slow)", note))
    memory = results["run_memory"]
    ratio = memory["ratio"]
    targets.append(
        target(
            "peak memory of a run < 3x its largest file",
            ratio,
            lambda v: v < 3.0,
            f"{ratio:.2f}x",
            f"(peak RSS of run -j 1 {memory['peak_j1_mib']:.0f} MiB - same over an empty folder "
            f"{memory['fixed_mib']:.0f} MiB) / largest file {memory['largest_file_bytes'] / MiB:.2f} MiB",
        )
    )
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
        f"{meta['date']}, Python {meta['python']}, {meta['cpus']} cores (engine alone: one)",
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
        "ours_again": "(not a peer) ours again: the same normaliser over the corpus a second time",
        "scan_floor": "(not a peer) our engine's first step alone: the compiled core's pass over capitalised words",
    }
    for key, name in names.items():
        cells = []
        for s in labels:
            rate = sizes[s][key]["mb_s"]
            cells += [fmt(rate), fmt(sizes[s]["ours"]["mb_s"] / rate) + "x"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    runs, io, meta_fs = results["cli_runs"], results["io"], meta.get("work_fs") or "?"
    j1, j2 = runs["j1"]["mb_s"], runs["j2"]["mb_s"]
    lines += [
        "",
        f"Whole runs over the corpus folder, every core available (best of {meta['repeat']} alternating rounds; "
        f"fresh output folders on {meta_fs}). User and sys are the CPU seconds of the best run's process tree; "
        "`-j 1 ÷` and `-j 2 ÷` are the speed of `normalize run -j 1` / `-j 2` divided by the row's.",
        "",
        "| command | MB/s | wall s | user s | sys s | peak RSS MiB | -j 1 ÷ | -j 2 ÷ |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def whole_row(name: str, row: dict) -> str:
        if "mb_s" not in row:
            return f"| {name} | {row['skipped']} | | | | | | |"
        peak = fmt(row["peak_rss_mib"], 0) if "peak_rss_mib" in row else "-"
        return (
            f"| {name} | {fmt(row['mb_s'])} | {fmt(row['seconds'])} | {fmt(row['user_s'])} | {fmt(row['sys_s'])} | "
            f"{peak} | {fmt(j1 / row['mb_s'])}x | {fmt(j2 / row['mb_s'])}x |"
        )

    tools = results["tools"]
    lines += [
        whole_row("typos --threads 1 (reports only)", tools["typos"]),
        whole_row("codespell (reports only)", tools["codespell"]),
        whole_row(
            "raw-scan script: read, Aho-Corasick + word boundaries (shipped spellings), replace, write",
            results["rawscan"],
        ),
        whole_row("(in process, one core) read+decode+encode+write only", io),
        whole_row("normalize run -j 1 (shipped gazetteer, change log and journal)", runs["j1"]),
        whole_row("normalize run -j 2", runs["j2"]),
        whole_row("normalize run -j 1 again, words and windows kept from the run before", runs["rerun_j1"]),
    ]
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
    memory = results["run_memory"]
    lines.append(
        f"| peak RSS of `normalize run CORPUS -o OUT -q -j 1` (worst round) | {fmt(memory['peak_j1_mib'], 0)} MiB |"
    )
    lines.append(f"| peak RSS of the same over an empty folder (fixed cost) | {fmt(memory['fixed_mib'], 0)} MiB |")
    lines.append(f"| largest corpus file | {fmt(memory['largest_file_bytes'] / MiB)} MiB |")
    lines.append(
        f"| peak RSS of `normalize run CORPUS -o OUT -q` (default jobs: {meta['cpus']}), largest process | "
        f"{fmt(runs['default_jobs']['peak_rss_mib'], 0)} MiB |"
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
    parser.add_argument(
        "--work",
        type=Path,
        help="keep the corpus and gazetteers here (default: a temp folder, on /dev/shm if it has room)",
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="best of N in-process passes and N rounds of whole runs (default 2)"
    )
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
    results: dict = {"meta": meta(args, corpus, work)}
    allowed = pin_to_one_core()
    try:
        results["io"] = measure_io(corpus.files, corpus.root, work, corpus.bytes, args.repeat)
        warm_up(material.texts)
        results["sizes"] = {label: measure_size(label, material, corpus.bytes, args.repeat) for label in sizes}
        results["startup"] = measure_startup(work)
        articles = [text for name, text in material.texts if Path(name) != corpus.large.relative_to(corpus.root)]
        results["file_length"] = measure_file_length(Normalizer.load(), articles, work)
    finally:
        if allowed:
            os.sched_setaffinity(0, allowed)  # the -j runs need every core
    results |= measure_whole_runs(corpus, work, args.repeat, with_tools=not args.skip_slow)
    results["targets"] = evaluate(results)
    # A busy machine (the load includes this benchmark's own core) makes every figure lower.
    results["meta"]["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    return results


def filesystem(path: Path) -> str | None:
    """The type of the file system holding `path` (tmpfs, ext4 ...), from /proc/mounts."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return None
    resolved = str(path.resolve())
    best = max(
        (m for m in mounts if resolved == m[0] or resolved.startswith(m[0].rstrip("/") + "/")),
        key=lambda m: len(m[0]),
        default=None,
    )
    return best[1] if best else None


def default_work_parent(size_mb: float) -> str | None:
    """tmpfs (/dev/shm) when it is there with room for the corpus and a few output copies, else the temp default."""
    try:
        if TMPFS.is_dir() and os.access(TMPFS, os.W_OK) and shutil.disk_usage(TMPFS).free > 20 * size_mb * MB:
            return str(TMPFS)
    except OSError:
        pass
    return None


def meta(args: argparse.Namespace, corpus: gen.Corpus, work: Path) -> dict:
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
        "work": str(work),
        "work_fs": filesystem(work),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="normalize-speed-", dir=default_work_parent(args.size_mb)) as temp:
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
