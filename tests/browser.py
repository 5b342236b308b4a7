"""Headless Chromium for the report tests: open a page, read back its DOM.

Debian's ``chromium`` package (``.ci/run`` installs it).  Where it is missing
the browser tests are skipped, except when ``NORMALIZE_BROWSER_REQUIRED`` is
set (CI sets it), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

_VOID = {"meta", "br", "img", "input", "link", "hr", "source", "wbr", "area", "base", "col", "embed", "param", "track"}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        if os.environ.get("NORMALIZE_BROWSER_REQUIRED"):
            pytest.fail("chromium is required here (NORMALIZE_BROWSER_REQUIRED) but not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        wanted = {k.rstrip("_"): v for k, v in attrs.items()}
        return [n for n in self.iter() if n.tag == tag and all(n.attrs.get(k) == v for k, v in wanted.items())]

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in the page"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def open_page(path: Path, fragment: str = "", window: tuple[int, int] | None = None) -> Node:
    """The DOM of `path` after its script ran, as Chromium serialises it,
    in a window of `window` pixels (width, height) if given.

    Headless Chromium without a sandbox now and then crashes as it starts
    (crashpad's "no stack mapping", nothing about the page): such a start is
    tried once more; a second failure fails the test."""
    proc = _chromium(path, fragment, window, "--dump-dom")
    if proc.returncode != 0 and not proc.stdout:
        proc = _chromium(path, fragment, window, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    builder = _Builder()
    builder.feed(proc.stdout)
    return builder.root


def screenshot(path: Path, target: Path, window: tuple[int, int], fragment: str = "") -> Path:
    """A PNG of the first screen of `path` in a window of `window` pixels, at `target`."""
    for _ in range(2):  # (a start that crashes is tried once more, as in open_page)
        proc = _chromium(path, fragment, window, f"--screenshot={target}")
        if target.exists():
            return target
    raise AssertionError(proc.stderr[-2000:])


def _chromium(path: Path, fragment: str, window: tuple[int, int] | None, action: str) -> subprocess.CompletedProcess:
    size = [f"--window-size={window[0]},{window[1]}"] if window else []
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=5000",
                *size,
                action,
                path.resolve().as_uri() + (f"#{fragment}" if fragment else ""),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
