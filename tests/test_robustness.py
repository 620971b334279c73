"""Robustness of ``diplograph ingest`` end to end: bad inputs, hostile feeds, idempotency,
memory on huge files and resuming after ``kill -9``.

Every test runs the real CLI in a subprocess against real files in ``tmp_path`` and checks
the real SQLite file with the ``sqlite3`` module.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from diplograph.pipeline import ingest
from diplograph.store.database import Store

MB = 2**20


# -- running the CLI ---------------------------------------------------------------------------


@dataclass
class Run:
    """What one ``diplograph ingest`` subprocess did."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int | None  # bytes, of this child alone (None: it did not exit normally)

    @property
    def rejections(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("rejected ")]

    def count(self, what: str) -> int:
        """A figure of the summary line: ``count("newly stored")``."""
        match = re.search(rf"(\d+) {what}", self.stdout)
        assert match, f"no {what!r} in summary: {self.stdout!r}"
        return int(match.group(1))


# Runs the CLI, then writes the process's own peak RSS (VmHWM, kB) to the file named by
# $DIPLOGRAPH_TEST_HWM. ru_maxrss from wait4 is not enough: on Linux a child's figure starts
# from its parent's peak at fork time, so it depends on what the test process did before.
_MEASURED_CLI = """
import atexit, os, sys
def report():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["DIPLOGRAPH_TEST_HWM"], "w") as out:
        out.write(kb)
atexit.register(report)
sys.argv[0] = "diplograph"
from diplograph.cli import main
main()
"""


def _ingest_command(db: Path, inputs: tuple[str | Path, ...], extract: bool) -> list[str]:
    command = [sys.executable, "-c", _MEASURED_CLI, "--db", str(db), "ingest", "--no-progress"]
    if not extract:
        command.append("--no-extract")
    return command + [str(item) for item in inputs]


def _child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DIPLOGRAPH_DB"}


def run_cli(db: Path, *inputs: str | Path, extract: bool = False, timeout: float = 300) -> Run:
    """Run ``diplograph --db DB ingest --no-progress [--no-extract] INPUTS`` and wait for it.

    These tests are about reading and storing, so event extraction is off unless asked for.
    The child reports its own peak RSS (``VmHWM``) when it exits.
    """
    hwm = db.parent / f".hwm-{db.name}"
    hwm.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            _ingest_command(db, inputs, extract),
            stdout=out,
            stderr=err,
            cwd=db.parent,
            env={**_child_env(), "DIPLOGRAPH_TEST_HWM": str(hwm)},
        )
        while True:
            pid, status, _usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -signal.SIGKILL
                pytest.fail(f"ingest did not finish within {timeout} s")
            time.sleep(0.01)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            code=proc.returncode,
            stdout=out.read().decode("utf-8"),
            stderr=err.read().decode("utf-8"),
            seconds=seconds,
            peak_rss=int(hwm.read_text()) * 1024 if hwm.exists() else None,  # kB
        )


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, params).fetchall()


def article_count(db: Path) -> int:
    return query(db, "SELECT count(*) FROM articles")[0][0]


def stored_texts(db: Path) -> list[str]:
    return [row[0] for row in query(db, "SELECT text FROM articles ORDER BY seq")]


# -- inputs ------------------------------------------------------------------------------------

GOOD_TXT = (
    "The foreign ministers of Lakeland and Varnia met in Estraven on Thursday to discuss the "
    "reopening of three border crossings.\n\n"
    "They agreed that joint patrols would begin next month and that a follow-up meeting of "
    "deputy ministers would take place in May."
)
GOOD_JSONL_TEXT = (
    "The ambassador of Norland presented her credentials to the president of Ostmark on "
    "Monday.\n\nBoth sides spoke of deepening cooperation on fisheries and Arctic research."
)

RUSSIAN_PARAGRAPHS = [
    "Министры иностранных дел двух стран встретились во вторник в Женеве, чтобы обсудить "
    "восстановление прямого авиасообщения и упрощение визового режима.",
    "По словам официального представителя министерства, переговоры прошли в конструктивной "
    "атмосфере и продолжались более четырёх часов.",
    "Стороны договорились подготовить к осени соглашение о культурном обмене и провести "
    "следующую встречу в Москве.",
]
FRENCH_GERMAN_PARAGRAPHS = [
    "Les ministres des Affaires étrangères se sont réunis à Genève pour préparer le sommet "
    "d'été et ont salué une coopération renforcée.",
    "Der deutsche Außenminister begrüßte die Einigung über die Rückführung der Flüchtlinge "
    "und lobte die offenen Gespräche mit seinem französischen Kollegen.",
    "Beide Seiten vereinbarten, die Verhandlungen im Frühjahr in München fortzusetzen.",
]
UTF8_PARAGRAPHS = [
    "Le ministre a déclaré que la réunion avec son homologue était très constructive.",
    "Les délégations ont évoqué la sécurité régionale, l'énergie et les échanges culturels.",
]
# One paragraph carries a latin-1 "é" (0xE9): invalid UTF-8 in an otherwise UTF-8 file.
BAD_UTF8_PARAGRAPH = b"Le communiqu\xe9 final sera publi\xc3\xa9 demain \xc3\xa0 midi."


def write_good_inputs(folder: Path) -> tuple[Path, Path]:
    """A good .txt and a good .jsonl to ingest alongside a bad input."""
    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / "good.txt"
    txt.write_text(GOOD_TXT, encoding="utf-8")
    jsonl = folder / "good.jsonl"
    jsonl.write_text(json.dumps({"id": "good-1", "text": GOOD_JSONL_TEXT}) + "\n", "utf-8")
    return txt, jsonl


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
    + '<rss version="2.0"><channel><title>Wire</title><item><title>Talks</title>'
    + "<description>&lol9;</description></item></channel></rss>\n"
)
QUADRATIC_BLOWUP = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + "A" * 50_000 + '">]>\n'
    '<rss version="2.0"><channel><title>Wire</title><item><title>Talks</title>'
    "<description>" + "&a;" * 50_000 + "</description></item></channel></rss>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<rss version="2.0"><channel><title>Wire</title><item><title>Talks</title>'
    "<description>&xxe;</description></item></channel></rss>\n"
)


def _file(name: str, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = folder / name
        path.write_bytes(data)
        return str(path)

    return make


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
NO_NUL_NOISE = random.Random(0).randbytes(4096).replace(b"\x00", b"\x01")


def _fifo(folder: Path) -> str:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return str(path)


# (id, make the bad input in a folder and return the CLI argument, exact reason)
BAD_INPUTS: list[tuple[str, Callable[[Path], str], str]] = [
    ("empty", _file("empty.txt", b""), "empty input"),
    ("whitespace", _file("blank.txt", b"  \n\t \r\n   \n"), "empty input"),
    ("empty-jsonl", _file("empty.jsonl", b"\n \n"), "empty input"),
    ("nul-bytes", _file("nul.txt", b"Talks\x00\x00\x00 in Geneva\x00"), "binary data, not text"),
    ("png-as-txt", _file("photo.txt", PNG_HEADER), "binary data, not text"),
    ("noise-as-txt", _file("noise.txt", NO_NUL_NOISE), "binary data, not text"),
    ("png-as-jsonl", _file("photo.jsonl", PNG_HEADER), "binary data, not text"),
    ("fifo", _fifo, "not a regular file or folder"),
    (
        "missing",
        lambda folder: str(folder / "no-such-dir" / "missing.txt"),
        "no such file or folder",
    ),
    (
        "ftp",
        lambda _: "ftp://example.org/news/feed.xml",
        "unsupported URL scheme 'ftp' (only http and https)",
    ),
    (
        "file-url",
        lambda _: "file:///etc/passwd",
        "unsupported URL scheme 'file' (only http and https)",
    ),
]


# -- bad inputs are rejected, the rest carries on ----------------------------------------------


def assert_good_inputs_stored(db: Path) -> None:
    texts = stored_texts(db)
    assert sorted(texts) == sorted([GOOD_TXT, GOOD_JSONL_TEXT])


@pytest.mark.parametrize(
    ("make_bad", "reason"),
    [pytest.param(make, reason, id=name) for name, make, reason in BAD_INPUTS],
)
def test_bad_input_is_rejected_and_the_rest_is_stored(
    tmp_path: Path, make_bad: Callable[[Path], str], reason: str
) -> None:
    good_txt, good_jsonl = write_good_inputs(tmp_path / "in")
    bad = make_bad(tmp_path / "in")
    db = tmp_path / "store.db"

    run = run_cli(db, good_txt, bad, good_jsonl)

    assert run.code == 1, run.stderr
    assert run.stderr.splitlines() == [f"rejected {bad}: {reason}"]
    assert run.count("newly stored") == 2
    assert run.count("rejected") == 1
    assert_good_inputs_stored(db)


@pytest.mark.parametrize("extract", [False, True], ids=["articles-only", "with-extraction"])
def test_many_bad_inputs_in_one_command_each_get_one_line(tmp_path: Path, extract: bool) -> None:
    """Also with the default event extraction: bad inputs never stop the good ones."""
    folder = tmp_path / "in"
    good_txt, good_jsonl = write_good_inputs(folder)
    bad = {make(folder): reason for _, make, reason in BAD_INPUTS}
    db = tmp_path / "store.db"

    run = run_cli(db, *bad, good_txt, good_jsonl, extract=extract)

    assert run.code == 1
    assert sorted(run.stderr.splitlines()) == sorted(
        f"rejected {where}: {reason}" for where, reason in bad.items()
    )
    assert_good_inputs_stored(db)


def test_rejection_line_names_paths_with_brackets_verbatim(tmp_path: Path) -> None:
    good_txt, _ = write_good_inputs(tmp_path / "in")
    empty = tmp_path / "in" / "minutes [draft].txt"
    empty.write_bytes(b"")
    missing = tmp_path / "in" / "a[/b].txt"  # folder "a[" does not exist
    db = tmp_path / "store.db"

    run = run_cli(db, good_txt, empty, missing)

    assert run.code == 1, run.stderr
    assert sorted(run.stderr.splitlines()) == sorted(
        [f"rejected {missing}: no such file or folder", f"rejected {empty}: empty input"]
    )
    assert stored_texts(db) == [GOOD_TXT]


def test_dangling_symlink_in_a_folder_is_rejected_and_the_rest_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_good_inputs(folder)
    link = folder / "moved.txt"
    link.symlink_to(tmp_path / "gone.txt")
    db = tmp_path / "store.db"

    run = run_cli(db, folder)

    assert run.code == 1, run.stderr
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith(f"rejected {link}: ")
    assert_good_inputs_stored(db)


def test_fifo_in_a_folder_is_rejected_without_hanging(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_good_inputs(folder)
    fifo = _fifo(folder)
    db = tmp_path / "store.db"

    run = run_cli(db, folder, timeout=8)

    assert run.code == 1, run.stderr
    assert run.stderr.splitlines() == [f"rejected {fifo}: not a regular file or folder"]
    assert_good_inputs_stored(db)


# -- JSON Lines: line-level rejections ---------------------------------------------------------


def _jsonl_line(n: int) -> str:
    text = f"Dispatch {n}: the envoys of Lakeland and Varnia met for round {n} of the talks."
    return json.dumps({"id": f"line-{n}", "text": text})


def test_jsonl_bad_lines_are_rejected_by_line_number_and_the_others_stored(
    tmp_path: Path,
) -> None:
    lines = [_jsonl_line(n) for n in range(1, 7)]
    lines[2] = '{"id": "line-3", "text": "unterminated'  # line 3: malformed JSON
    lines[4] = '["line-5", "a JSON array, not an object"]'  # line 5
    feed = tmp_path / "wire.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good_txt, _ = write_good_inputs(tmp_path / "in")
    db = tmp_path / "store.db"

    run = run_cli(db, feed, good_txt)

    assert run.code == 1
    stderr = run.stderr.splitlines()
    assert len(stderr) == 2, run.stderr
    assert stderr[0].startswith(f"rejected {feed}:3: malformed JSON (")
    assert stderr[1] == f"rejected {feed}:5: expected a JSON object, got list"
    ids = {row[0] for row in query(db, "SELECT source_id FROM articles")}
    assert ids == {"line-1", "line-2", "line-4", "line-6", None}  # None: the .txt
    assert run.count("newly stored") == 5


def test_jsonl_saved_with_a_utf8_bom_is_read_whole(tmp_path: Path) -> None:
    feed = tmp_path / "wire.jsonl"
    feed.write_bytes(b"\xef\xbb\xbf" + f"{_jsonl_line(1)}\n{_jsonl_line(2)}\n".encode())
    db = tmp_path / "store.db"

    run = run_cli(db, feed)

    assert run.code == 0, run.stderr
    assert sorted(row[0] for row in query(db, "SELECT source_id FROM articles")) == [
        "line-1",
        "line-2",
    ]


def test_jsonl_lone_surrogates_become_replacement_characters(any_db: str, tmp_path: Path) -> None:
    # "\ud800" is valid JSON but no text in any encoding; a real pair is one character
    line = (
        '{"title": "Ties \\ud800 renewed", "text": "The envoy \\udc00 met the minister '
        'on Monday \\ud83d\\ude00 and both sides agreed to meet again."}'
    )
    feed = tmp_path / "odd.jsonl"
    feed.write_text(line + "\n", encoding="utf-8")
    with Store(any_db) as store:
        report = ingest([str(feed)], store, extract=False)
        assert report.ok and report.stored == 1
        (article,) = list(store.iter_articles())
    assert article["title"] == "Ties \ufffd renewed"
    assert "envoy \ufffd met" in article["text"] and "\U0001f600" in article["text"]


@pytest.mark.parametrize(
    "record",
    [
        {"id": "x", "title": "A headline without a body"},
        {"id": "x", "title": "Blank body", "text": "   \n  "},
        {"id": "x", "text": None},
    ],
    ids=["missing", "blank", "null"],
)
def test_jsonl_line_without_text_is_rejected(tmp_path: Path, record: dict) -> None:
    feed = tmp_path / "wire.jsonl"
    feed.write_text(f"{_jsonl_line(1)}\n{json.dumps(record)}\n{_jsonl_line(3)}\n", "utf-8")
    db = tmp_path / "store.db"

    run = run_cli(db, feed)

    assert run.code == 1
    assert run.stderr.splitlines() == [
        f'rejected {feed}:2: no "text" field (the only required one)'
    ]
    assert sorted(row[0] for row in query(db, "SELECT source_id FROM articles")) == [
        "line-1",
        "line-3",
    ]


# -- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "encoding"),
    [
        pytest.param(RUSSIAN_PARAGRAPHS, "cp1251", id="russian-cp1251"),
        pytest.param(
            FRENCH_GERMAN_PARAGRAPHS,
            "latin-1",
            id="french-german-latin1",
        ),
    ],
)
def test_legacy_encoded_text_is_stored_as_the_original_unicode(
    tmp_path: Path, paragraphs: list[str], encoding: str
) -> None:
    original = "\n\n".join(paragraphs)
    path = tmp_path / "article.txt"
    data = original.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8
    path.write_bytes(data)
    good_txt, _ = write_good_inputs(tmp_path / "in")
    db = tmp_path / "store.db"

    run = run_cli(db, path, good_txt)

    assert run.code == 0, run.stderr
    assert run.stderr == ""
    [(text, paragraphs_json)] = query(
        db, "SELECT text, paragraphs FROM articles WHERE path = ?", str(path)
    )
    assert text == original
    assert json.loads(paragraphs_json) == paragraphs


def _mostly_utf8_file(tmp_path: Path) -> tuple[Path, bytes]:
    data = b"\n\n".join([p.encode("utf-8") for p in UTF8_PARAGRAPHS] + [BAD_UTF8_PARAGRAPH])
    path = tmp_path / "mostly-utf8.txt"
    path.write_bytes(data)
    return path, data


def test_mostly_utf8_file_with_one_invalid_byte_is_stored(tmp_path: Path) -> None:
    """decode.py does not reject text with a stray invalid byte: the article is stored."""
    path, data = _mostly_utf8_file(tmp_path)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    db = tmp_path / "store.db"

    run = run_cli(db, path)

    assert run.code == 0, run.stderr
    assert run.stderr == ""
    assert article_count(db) == 1
    assert "\x00" not in stored_texts(db)[0]


def test_mostly_utf8_file_keeps_its_valid_utf8_characters(tmp_path: Path) -> None:
    path, _ = _mostly_utf8_file(tmp_path)
    db = tmp_path / "store.db"

    run = run_cli(db, path)

    assert run.code == 0, run.stderr
    text = stored_texts(db)[0]
    for paragraph in UTF8_PARAGRAPHS:
        assert paragraph in text
    assert "publié demain à midi." in text
    assert text.startswith(UTF8_PARAGRAPHS[0])


# -- hostile feeds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [BILLION_LAUGHS, QUADRATIC_BLOWUP, EXTERNAL_ENTITY],
    ids=["billion-laughs", "quadratic-blowup", "external-entity"],
)
def test_feed_declaring_entities_is_rejected_quickly(tmp_path: Path, payload: str) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(payload, encoding="utf-8")
    good_txt, good_jsonl = write_good_inputs(tmp_path / "in")
    db = tmp_path / "store.db"

    run = run_cli(db, feed, good_txt, good_jsonl, timeout=60)

    assert run.seconds < 10, f"took {run.seconds:.1f} s"
    assert run.code == 1
    assert len(run.rejections) == 1, run.stderr
    assert run.rejections[0].startswith(f"rejected {feed}: ")
    assert "entit" in run.rejections[0].removeprefix(f"rejected {feed}: ")
    assert run.peak_rss < 500 * MB
    assert_good_inputs_stored(db)
    assert "lol" not in " ".join(stored_texts(db))


# -- idempotency -------------------------------------------------------------------------------


def test_ingesting_the_same_folder_twice_stores_nothing_new(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    for n in range(3):
        (folder / f"report-{n}.txt").write_text(
            f"Report {n}: the delegations met in Vienna for round {n} of the talks.\n\n"
            "They agreed to continue the dialogue at expert level.",
            encoding="utf-8",
        )
    (folder / "sub" / "wire.jsonl").write_text(
        "\n".join(_jsonl_line(n) for n in range(4)) + "\n", encoding="utf-8"
    )
    db = tmp_path / "store.db"

    first = run_cli(db, folder)
    assert first.code == 0, first.stderr
    assert first.count("newly stored") == 7
    rows = query(db, "SELECT seq, id, text FROM articles ORDER BY seq")
    assert len(rows) == 7

    second = run_cli(db, folder)
    assert second.code == 0, second.stderr
    assert second.count("newly stored") == 0
    assert query(db, "SELECT seq, id, text FROM articles ORDER BY seq") == rows

    # A touched file is read again; its articles are recognised by content, not stored again.
    os.utime(folder / "sub" / "wire.jsonl", (time.time() + 5, time.time() + 5))
    third = run_cli(db, folder)
    assert third.code == 0, third.stderr
    assert third.count("newly stored") == 0
    assert third.count("already stored") == 4
    assert query(db, "SELECT seq, id, text FROM articles ORDER BY seq") == rows


def test_same_article_in_txt_and_jsonl_is_stored_once(tmp_path: Path) -> None:
    txt = tmp_path / "talks.txt"
    txt.write_text(GOOD_TXT, encoding="utf-8")
    jsonl = tmp_path / "talks.jsonl"
    jsonl.write_text(json.dumps({"id": "talks-1", "text": GOOD_TXT}) + "\n", encoding="utf-8")
    db = tmp_path / "store.db"

    run = run_cli(db, txt, jsonl)

    assert run.code == 0, run.stderr
    assert run.count("newly stored") == 1
    assert run.count("already stored") == 1
    assert stored_texts(db) == [GOOD_TXT]

    again = run_cli(db, jsonl)  # in a later command too
    assert again.count("newly stored") == 0
    assert article_count(db) == 1


# -- huge inputs -------------------------------------------------------------------------------

_SUBJECTS = [
    "The foreign minister",
    "The ambassador",
    "A senior envoy",
    "The prime minister",
    "The delegation",
    "The deputy foreign minister",
    "The special representative",
]
_VERBS = [
    "met",
    "held talks with",
    "telephoned",
    "hosted",
    "received",
    "thanked",
    "signed a memorandum with",
    "criticised",
]
_OBJECTS = [
    "his counterpart",
    "a visiting delegation",
    "the trade commission",
    "the envoy of the neighbouring state",
    "representatives of the regional bloc",
]
_PLACES = [
    "in Geneva",
    "in Vienna",
    "in Astana",
    "in Brussels",
    "in Nairobi",
    "in Jakarta",
    "by telephone",
    "on the sidelines of the summit",
]
_TOPICS = [
    "to discuss border security",
    "on grain exports",
    "about a ceasefire",
    "on visa-free travel",
    "about energy transit",
    "about fishing rights",
]


def synthetic_articles(size_range: tuple[int, int], seed: int = 1) -> Iterator[tuple[str, str]]:
    """Endless unique synthetic articles ``(id, text)``; text is clean paragraphs, so it is
    stored verbatim. Each carries the FTS token ``zqref<n>``."""
    rng = random.Random(seed)
    sentences = [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
        f"{rng.choice(_PLACES)} {rng.choice(_TOPICS)}."
        for _ in range(3000)
    ]
    n = 0
    while True:
        target = rng.randint(*size_range)
        paragraphs = [f"Dispatch zqref{n:07d}: officials confirmed round {n} of the talks."]
        size = len(paragraphs[0])
        while size < target:
            paragraphs.append(" ".join(rng.choices(sentences, k=rng.randint(3, 7))))
            size += len(paragraphs[-1]) + 2
        yield f"syn-{n}", "\n\n".join(paragraphs)
        n += 1


def _jsonl_record(article_id: str, text: str) -> str:
    return json.dumps({"id": article_id, "title": f"Dispatch {article_id}", "text": text})


def baseline_rss(tmp_path: Path) -> int:
    """Peak RSS of an ingest that reads nothing: interpreter, libraries, store."""
    run = run_cli(tmp_path / "baseline.db", tmp_path / "nothing-here.txt")
    assert run.code == 1
    return run.peak_rss


@pytest.mark.slow
def test_200mb_jsonl_is_streamed_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for article_id, text in synthetic_articles((4000, 8000)):
            out.write(_jsonl_record(article_id, text) + "\n")
            count += 1
            if out.tell() >= 200 * MB:
                break
    size = path.stat().st_size
    baseline = baseline_rss(tmp_path)
    db = tmp_path / "store.db"

    run = run_cli(db, path, timeout=600)

    assert run.code == 0, run.stderr
    assert run.count("newly stored") == count
    assert article_count(db) == count
    assert query(db, "SELECT count(DISTINCT source_id) FROM articles")[0][0] == count
    grown = run.peak_rss - baseline
    print(
        f"\n200 MB JSONL: {count} articles in {run.seconds:.1f} s, "
        f"peak RSS {run.peak_rss / MB:.0f} MB (baseline {baseline / MB:.0f} MB)"
    )
    assert run.peak_rss < 400 * MB
    assert grown < size // 4, f"peak RSS grew by {grown / MB:.0f} MB over the baseline"


@pytest.mark.slow
def test_200mb_txt_is_rejected_as_too_large_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    block = ((GOOD_TXT + "\n\n") * (MB // len(GOOD_TXT))).encode("utf-8")
    with path.open("wb") as out:
        while out.tell() < 200 * MB:
            out.write(block)
        out.truncate(200 * MB)
    baseline = baseline_rss(tmp_path)
    good_txt, good_jsonl = write_good_inputs(tmp_path / "in")
    db = tmp_path / "store.db"

    run = run_cli(db, path, good_txt, good_jsonl, timeout=60)

    assert run.code == 1
    assert run.seconds < 10, f"took {run.seconds:.1f} s"
    assert run.stderr.splitlines() == [
        f"rejected {path}: 200 MiB is too large for one document (limit 32 MiB); "
        "split it or convert it to JSON Lines"
    ]
    assert run.peak_rss - baseline < 20 * MB, "the file was read into memory"
    assert_good_inputs_stored(db)


# -- kill -9 and resume ------------------------------------------------------------------------


def _wait_for_articles(db: Path, proc: subprocess.Popen, at_least: int) -> int:
    """Poll the store from a separate connection until it holds ``at_least`` articles."""
    deadline = time.monotonic() + 120
    while not db.exists():
        assert proc.poll() is None, "ingest ended before the store was created"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        while True:
            assert proc.poll() is None, "ingest finished before it could be killed"
            assert time.monotonic() < deadline, "ingest stored too little in 120 s"
            try:
                seen = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:  # tables not created yet
                seen = 0
            if seen >= at_least:
                return seen
            time.sleep(0.02)


def _check_store_is_whole(db: Path, expected: dict[str, str]) -> int:
    """Integrity, full-text index and every row complete; returns the article count."""
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # FTS5's own check: the index matches the content table exactly (raises otherwise).
        connection.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        connection.rollback()
        rows = connection.execute("SELECT seq, source_id, text, paragraphs FROM articles")
        count = 0
        for _seq, source_id, text, paragraphs in rows:
            assert text and text == expected[source_id], f"{source_id} stored incompletely"
            assert "\n\n".join(json.loads(paragraphs)) == text
            count += 1
        connection.execute(
            "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, row)"
        )
        indexed = connection.execute(
            "SELECT count(*), coalesce(max(doc), 0) FROM temp.vocab WHERE term GLOB 'zqref*'"
        ).fetchone()
        assert indexed == (count, 1 if count else 0), "full-text index and articles differ"
        duplicates = connection.execute(
            "SELECT source_id FROM articles GROUP BY source_id HAVING count(*) > 1"
        ).fetchall()
        assert duplicates == []
    return count


@pytest.mark.slow
def test_kill_9_leaves_whole_articles_and_a_rerun_completes(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    expected: dict[str, str] = {}
    with path.open("w", encoding="utf-8") as out:
        for article_id, text in synthetic_articles((1500, 3000), seed=2):
            out.write(_jsonl_record(article_id, text) + "\n")
            expected[article_id] = text
            if len(expected) % 100 == 0 and len(expected) > 500:
                earlier = f"syn-{len(expected) - 450}"  # an exact repeat, batches later
                out.write(_jsonl_record(earlier, expected[earlier]) + "\n")
            if len(expected) == 20_000:
                break
    db = tmp_path / "store.db"
    command = _ingest_command(db, (path,), extract=False)

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=tmp_path, env=_child_env())
        try:
            seen = _wait_for_articles(db, proc, at_least=600)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    after_kill = _check_store_is_whole(db, expected)
    print(f"\nkill -9: {seen} articles seen before the kill, {after_kill} stored after it")
    assert seen <= after_kill < len(expected)

    rerun = run_cli(db, path)
    assert rerun.code == 0, rerun.stderr
    assert rerun.count("newly stored") == len(expected) - after_kill
    assert _check_store_is_whole(db, expected) == len(expected)
    assert {row[0] for row in query(db, "SELECT source_id FROM articles")} == set(expected)
