"""Files are written whole or not at all, with the mode a user expects."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from normalize.batch.corpus import AtomicFile, write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_output_copy_gets_the_mode_any_new_file_gets(tmp_path):
    scratch = tmp_path / "scratch"
    write_atomic(tmp_path / "out.txt", b"Haftar", scratch, durable=False)
    assert (tmp_path / "out.txt").read_bytes() == b"Haftar"
    assert _mode(tmp_path / "out.txt") == 0o666 & ~_umask()
    assert list(scratch.iterdir()) == []


def test_a_replaced_original_keeps_its_mode(tmp_path):
    original = tmp_path / "article.txt"
    original.write_bytes(b"Hafter")
    original.chmod(0o640)
    write_atomic(original, b"Haftar")
    assert original.read_bytes() == b"Haftar" and _mode(original) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["article.txt"]


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path):
    scratch = tmp_path / "scratch"
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "out.txt", "not bytes", scratch, durable=False)  # type: ignore[arg-type]
    assert not (tmp_path / "out.txt").exists()
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("durable", [True, False])
def test_a_rename_that_fails_reports_its_own_error_and_leaves_no_temporary_file(tmp_path, durable):
    in_the_way = tmp_path / "out.txt"
    (in_the_way / "a file inside").mkdir(parents=True)  # (a folder that is not empty cannot be replaced)
    scratch = tmp_path / "scratch"
    with pytest.raises(OSError) as raised:
        write_atomic(in_the_way, b"Haftar", scratch, durable=durable)
    assert raised.value.errno != errno.EBADF  # (the descriptor was not closed a second time)
    assert list(scratch.iterdir()) == []


def test_a_fresh_file_is_never_put_over_one_made_while_it_was_written(tmp_path):
    path = tmp_path / "ly.toml"
    with pytest.raises(FileExistsError), AtomicFile(path, fresh=True) as handle:
        handle.write(b"# imported\n")
        path.write_text("# mine\n")  # made meanwhile, by someone else
        handle.commit()
    assert path.read_text() == "# mine\n" and sorted(p.name for p in tmp_path.iterdir()) == ["ly.toml"]


@pytest.mark.parametrize("there", [False, True])
def test_a_fresh_file_where_there_are_no_hard_links_is_still_never_put_over_another(tmp_path, monkeypatch, there):
    def no_hard_links(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)
    path = tmp_path / "ly.toml"
    if there:
        path.write_text("# mine\n")
        with pytest.raises(FileExistsError):
            write_atomic(path, b"# imported\n", fresh=True)
    else:
        write_atomic(path, b"# imported\n", fresh=True)
    assert path.read_text() == ("# mine\n" if there else "# imported\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ly.toml"]
