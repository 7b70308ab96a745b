"""DUP rules beyond the case files: across files, parallel runs, `--against`, the sketch, hostile input."""

from __future__ import annotations

import json
import multiprocessing
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint import parallel
from dslint.cli import main
from dslint.engine import Settings
from dslint.readers.discover import discover
from dslint.rules import rule_by_code
from dslint.rules.dup_index import NearIndex, cluster, leaders
from dslint.rules.dup_sketch import candidate_pairs, sketch
from dslint.rules.dup_text import normalise, views

np = pytest.importorskip("numpy")


def _chat(user: str, assistant: str) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]}


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _run(paths: list[Path], codes: list[str], root: Path, jobs: int = 1, shard_bytes: int = 1 << 20,
         against: list[Path] | None = None) -> list[tuple[str, str, int | None, str]]:
    rules = [rule_by_code()[code] for code in codes]
    settings = Settings(rules=rules)
    if against:
        settings.against = discover([str(p) for p in against], root=root)
    result = parallel.run(discover([str(p) for p in paths], root=root), settings, jobs, shard_bytes=shard_bytes)
    return [(d.code, d.path, d.record, d.message) for d in result.diagnostics]


def test_normalise_folds_case_space_unicode_and_final_punctuation() -> None:
    assert normalise("  Hello,\tWORLD!!  ") == "hello, world"
    assert normalise("ﬁnd the ｍａｘ.") == "find the max"
    assert normalise("Straße") == normalise("STRASSE")
    assert normalise("a.b") == "a.b"


def test_views_split_prompt_answer_and_whole() -> None:
    from dslint.formats import normalise as adapt
    from dslint.model import Source

    example = adapt({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q1?"},
                                  {"role": "assistant", "content": "A1."}, {"role": "user", "content": "Q2"},
                                  {"role": "assistant", "content": "A2"}]}, Source("f", 1, 0))
    found = views(example)
    assert (found.prompt, found.answer, found.prompt_pointer) == ("q1", "a1", "/messages/1/content")
    assert found.whole == "system: s\nuser: q1\nassistant: a1\nuser: q2\nassistant: a2"


def test_sketch_is_deterministic_and_separates_texts() -> None:
    texts = ["the quick brown fox jumps over the lazy dog", "the quick brown fox jumps over the lazy cat",
             "completely unrelated sentence about tax law", "", "hi"]
    keys, whole, sketched = sketch(texts, 5, 16, 4)
    again, whole_again, _ = sketch(list(reversed(texts)), 5, 16, 4)
    assert (keys == again[::-1]).all() and (whole == whole_again[::-1]).all()
    assert sketched.tolist() == [True, True, True, False, True]
    assert (keys[0] == keys[1]).sum() >= 4  # similar texts share bands
    assert (keys[0] == keys[2]).sum() == 0
    with pytest.raises(ValueError):
        sketch(texts, 5, 3, 3)


def test_candidate_pairs_are_linear_per_bucket() -> None:
    keys = np.zeros((1000, 2), dtype=np.uint64)  # everything in one bucket of each band
    pairs = candidate_pairs(keys)
    assert len(pairs) <= 2 * 999
    assert (pairs[:, 0] < pairs[:, 1]).all()


def test_leaders_never_chain() -> None:
    edges = np.array([[0, 1], [1, 2], [3, 4], [0, 5]])
    # 2 is similar to 1 but not to 0 (1's leader): it leads its own cluster; 5 joins 0 directly.
    assert leaders(6, edges, lambda a, b: False).tolist() == [0, 0, 2, 3, 3, 0]
    assert leaders(6, edges, lambda a, b: True).tolist() == [0, 0, 0, 3, 3, 0]


def test_clusters_report_each_member_once() -> None:
    from dslint.model import Source

    index = NearIndex()
    base = "please write a friendly email to my landlord about the broken heating in the flat"
    variants = [base, base.replace("friendly", "freindly"), base + " today", "something else entirely here"]
    for number, text in enumerate(variants * 3):  # every text three times: exact copies collapse
        index.add(text, Source("f", number + 1, number), None)
    found = cluster(index, 0.9)
    members = list(found.members())
    assert members == [row for row in range(12) if row not in (0, 3)]
    assert {int(found.first[row]) for row in members} == {0, 3}
    assert int(found.size[1]) == 9


def test_texts_fetched_many_at_a_time_are_the_texts_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from dslint.model import Source
    from dslint.rules import dup_index
    from dslint.rules.dup_verify import WithoutTemplate

    monkeypatch.setattr(dup_index, "BATCH", 7)  # many batches, so rows come from different ones
    index = NearIndex(keep_second=True, second_chars=5)
    texts = [f"text {number} caf\u00e9 \u4e2d\u6587\n{'a shared template line ' * 3}" for number in range(50)]
    for number, text in enumerate(texts):
        index.add(text, Source("f", number + 1, number), None, f"answer {number}")
    rows = [49, 3, 3, 0, 21, 22, 14, 48]
    assert index.texts().fetch(rows) == {row: texts[row] for row in rows}
    assert index.second_texts().fetch(rows) == {row: f"answer {row}"[:5] for row in rows}
    assert index.texts().fetch([]) == {}
    template = frozenset({("a shared template line " * 3)})
    without = WithoutTemplate(index.texts(), template)
    assert without.fetch(rows) == {row: without[row] for row in rows} == {row: texts[row].split("\n")[0] for row in rows}


def test_duplicates_across_files_point_at_the_first_file(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.jsonl", [_chat("Name a primary colour.", "Red."), _chat("What is 2 + 2?", "4")])
    b = _write(tmp_path / "b.jsonl", [_chat("name a primary colour", "red"), _chat("Say hi.", "Hi")])
    found = _run([a, b], ["DUP001"], tmp_path)
    assert len(found) == 1
    code, path, record, message = found[0]
    assert (code, record) == ("DUP001", 0) and path.endswith("b.jsonl")
    assert message.startswith("exact duplicate of record 0 (line 1) in ") and "a.jsonl (after" in message


def _corpus(count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "river", "stone", "cloud", "market", "engine", "garden", "window", "silver", "orbit"]
    records = []
    for number in range(count):
        if number and rng.random() < 0.15:
            source = records[rng.randrange(len(records))]
            user, answer = source["messages"][0]["content"], source["messages"][1]["content"]
            choice = rng.randrange(5)
            if choice == 0:
                records.append(_chat(user.upper(), answer))
            elif choice == 1:
                records.append(_chat(user + " please", answer))
            elif choice == 2:
                records.append(_chat(user, rng.choice(words) + " " + str(number)))
            elif choice == 3:
                records.append(_chat(user, answer.replace(" ", "  ") + " indeed"))
            else:  # a reworded answer: a third of its words replaced
                reworded = [rng.choice(words) if n % 3 == 0 else word for n, word in enumerate(answer.split())]
                records.append(_chat(user, " ".join(reworded)))
            continue
        user = " ".join(rng.choice(words) for _ in range(rng.randint(8, 16))) + f" {number}?"
        records.append(_chat(user, " ".join(rng.choice(words) for _ in range(12))))
    return records


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="parallel runs need fork")
def test_a_parallel_run_reports_what_a_serial_run_reports(tmp_path: Path) -> None:
    path = _write(tmp_path / "data.jsonl", _corpus(1500, 7))
    other = _write(tmp_path / "more.jsonl", _corpus(300, 8))
    codes = ["DUP001", "DUP002", "DUP003", "DUP004"]
    serial = _run([path, other], codes, tmp_path)
    sharded = _run([path, other], codes, tmp_path, jobs=2, shard_bytes=20_000)
    assert len(parallel.plan(discover([str(path)], root=tmp_path), 20_000)) > 5
    assert {code for code, *_ in serial} == set(codes)
    assert sharded == serial


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="parallel runs need fork")
def test_a_parallel_run_lends_its_cores_to_the_finish_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dslint.rules import dup_index

    seen: list[int] = []
    original = dup_index.template_lines

    def spy(texts: object, count: int) -> frozenset[str]:
        seen.append(parallel.run_jobs())
        return original(texts, count)

    monkeypatch.setattr(dup_index, "template_lines", spy)
    path = _write(tmp_path / "data.jsonl", _corpus(600, 3))
    sharded = _run([path], ["DUP002"], tmp_path, jobs=2, shard_bytes=20_000)
    assert seen == [2] and parallel.run_jobs() == 1
    assert _run([path], ["DUP002"], tmp_path) == sharded and seen == [2, 1]


def test_against_reports_leaks_and_never_checks_the_evaluation_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "train.jsonl", [_chat("What is the capital of Australia?", "Canberra."),
                                      _chat("Name a primary colour.", "Red.")])
    _write(tmp_path / "eval.jsonl", [_chat("what is the capital of australia", "Canberra"),
                                     _chat("what is the capital of australia", "Canberra")])
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--isolated", "--no-progress", "--select", "DUP", ".",
                                  "--against", "eval.jsonl", "--format", "json"])
    plain = runner.invoke(main, ["check", "--isolated", "--no-progress", "--select", "DUP005", "train.jsonl"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert [f["path"] for f in report["files"]] == ["train.jsonl"]
    found = report["diagnostics"]
    assert [(d["code"], d["path"], d["record"]) for d in found] == [("DUP005", "train.jsonl", 0)]
    assert "evaluation record 0 (line 1) in eval.jsonl" in found[0]["message"]
    assert plain.exit_code == 0, plain.output


def test_a_leak_points_at_the_most_similar_evaluation_prompt_and_the_first_of_equals(tmp_path: Path) -> None:
    prompt = "Describe the water cycle in four short steps for a class of ten year old pupils"
    train = _write(tmp_path / "train.jsonl", [_chat(prompt, "a"), _chat("Name a primary colour.", "Red.")])
    evaluation = _write(tmp_path / "eval.jsonl", [
        _chat(prompt.replace("four", "five").replace("class", "group"), "b"),  # two words off
        _chat(prompt.replace("water", "waters"), "c"),  # one letter off: more similar than the first
        _chat(prompt.replace("short", "shorts"), "d"),  # one letter off too: as similar, later
    ])
    found = _run([train], ["DUP005"], tmp_path, against=[evaluation])
    assert [(code, record) for code, _, record, _ in found] == [("DUP005", 0)]
    assert "evaluation record 1 (line 2)" in found[0][3]


def test_hostile_text_never_crashes(tmp_path: Path) -> None:
    lone = "\ud800"
    path = tmp_path / "bad.jsonl"
    records = [_chat("x" * 200_000, "y"), _chat("x" * 200_000, "y"), _chat(f"a{lone}b", "c"),
               _chat(f"a{lone}b", "c"), _chat("", ""), _chat("\u0000\u0000", "\u0000"), {"text": 3}]
    path.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    found = _run([path], ["DUP001", "DUP002", "DUP003", "DUP004"], tmp_path)
    assert [(code, record) for code, _, record, _ in found] == [("DUP001", 1), ("DUP001", 3)]
