"""The Python API returns values; the CLI is built on it."""

from conftest import MINI, SEED

from normalize import Change, Normalizer, Result, ReviewItem, normalize_text


def test_load_once_and_normalise_many_texts(mini):
    results = [mini.normalize(t) for t in ("Hafter", "Sirt", "calm")]
    assert [r.text for r in results] == ["Haftar", "Sirte", "calm"]
    assert [r.changed for r in results] == [True, True, False]


def test_results_are_plain_values(mini):
    result = mini.normalize("Hafter near Bengahzi, Libya", name="doc-1")
    assert isinstance(result, Result)
    assert isinstance(result.changes[0], Change) and isinstance(result.review[0], ReviewItem)
    assert result.changes[0].to_dict()["file"] == "doc-1"
    assert result.review[0].to_dict()["context"] == "Hafter near Bengahzi, Libya"


def test_user_gazetteers_extend_the_shipped_ones(tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text('[gotham]\ntype = "place"\ncanonical = "Gotham"\nvariants = ["Gothham"]\n')
    normalizer = Normalizer.load([extra])
    assert normalizer.normalize("Gothham and Sirt").text == "Gotham and Sirte"


def test_only_the_given_gazetteers_when_asked(tmp_path):
    normalizer = Normalizer.load([MINI], include_default=False)
    assert normalizer.normalize("Gharian").text == "Gharian"  # not in the mini gazetteer


def test_normalize_text_uses_the_shipped_gazetteers():
    assert normalize_text("Clashes near Sirt between Al-Wefaq and Hafter forces.") == (
        "Clashes near Sirte between GNA and Haftar forces."
    )


def test_a_corpus_run_through_the_api_writes_what_the_cli_writes(tmp_path, mini):
    from normalize import ExitCode, RunOptions, run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Hafter took Sirt.\n")
    seen = []
    summary = run(mini, [tmp_path / "in"], RunOptions(output=tmp_path / "out"), on_file=seen.append)
    assert (summary.files, summary.changed_files, summary.changes) == (1, 1, 2)
    assert summary.per_entity == {"khalifa_haftar": 1, "sirte": 1}
    assert summary.exit_code == ExitCode.OK
    assert (tmp_path / "out" / "a.txt").read_text() == "Haftar took Sirte.\n"
    assert len((tmp_path / "out" / "changes.jsonl").read_text().splitlines()) == 2
    assert seen[0].changed and next(seen[0].record.changes.decode(Change)).after == "Haftar"


def test_check_mode_through_the_api_reports_without_writing(tmp_path, mini):
    from normalize import ExitCode, RunOptions, run

    (tmp_path / "a.txt").write_text("Sirt\n")
    summary = run(mini, [tmp_path / "a.txt"], RunOptions(check=True))
    assert summary.exit_code == ExitCode.CHANGES_FOUND
    assert (tmp_path / "a.txt").read_text() == "Sirt\n"


def test_a_process_can_run_again_after_the_output_folder_was_deleted(tmp_path):
    import shutil

    from normalize import RunOptions, run

    corpus = tmp_path / "in" / "sub"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("Hafter took Sirt.\n")
    normalizer = Normalizer.load()
    for _ in range(2):
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        summary = run(normalizer, [tmp_path / "in"], RunOptions(output=tmp_path / "out"))
        assert summary.exit_code == 0
        assert (tmp_path / "out" / "sub" / "a.txt").read_text() == "Haftar took Sirte.\n"


def test_normalising_leaves_nothing_for_the_garbage_collector(shipped):
    # (a reference cycle per text made the collector run often over a
    # corpus, and walk everything each time; the first call loads lazily)
    import gc

    text = SEED.read_text(encoding="utf-8") + "\nAgilah Saleh met Hafter's men near Bengahzi and Ajdabia.\n"
    shipped.normalize(text)
    gc.collect()
    gc.disable()
    try:
        assert shipped.normalize(text).changes
        assert gc.collect() == 0
    finally:
        gc.enable()
