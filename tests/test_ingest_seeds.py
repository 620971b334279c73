"""Every shape in the seed corpus comes out right (read from ../shared/corpus/seeds).

The seeds are third-party texts: expected headlines and body openings/endings are given as
fingerprints (SHA-256 of the whitespace-normalised string, 16 hex digits), so the exact
strings are checked without quoting them here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import shared_path
from diplograph.ingest.errors import Rejection
from diplograph.ingest.sources import Source, read_source
from diplograph.models import Article


def fp(text: str | None) -> str:
    return hashlib.sha256(" ".join((text or "").split()).encode("utf-8")).hexdigest()[:16]


def opening(article: Article) -> str:
    return fp(article.text[:48])


def ending(article: Article) -> str:
    return fp(article.text[-40:])


def read(name: str) -> list[Article]:
    path: Path = shared_path("corpus", "seeds", name)
    items = [item for item, _ in read_source(Source(str(path), "text", path.stat().st_size))]
    assert not [i for i in items if isinstance(i, Rejection)]
    return items


def assert_clean(article: Article) -> None:
    """No header, date, credit or source line survives in the body."""
    for paragraph in article.paragraphs:
        assert not paragraph.startswith(("Images |", "Source:", " date", "date 20"))
        assert not paragraph.strip().isdigit()
        assert paragraph.strip() != "\u00a0"
    assert "KAZINFORM" not in article.text[:40]
    assert not article.text.startswith(("NUR-SULTAN", "VATICAN"))


def test_vatican_report_date_dateline_agency() -> None:
    (article,) = read("000_9c557d8994a7c5fe.txt")
    assert article.published == "2021-02-09"
    assert article.dateline == "Vatican"
    assert article.source == "Kazinform"
    assert opening(article) == "0de8f855a7468724"
    # no headline: the first sentence stands in, shortened at a word break
    assert article.title_inferred and article.title.endswith("…")
    assert article.text.startswith(article.title.rstrip("…"))
    assert ending(article) == "6c4ded85d074f8e7"
    assert len(article.paragraphs) == 8
    assert_clean(article)


def test_headline_then_dateline_with_dash() -> None:
    (article,) = read("001_bb03d2d6f9ac7590.txt")
    assert fp(article.title) == "8a7b94bcbc02f78a"
    assert not article.title_inferred
    assert article.published == "2022-06-07"
    assert article.dateline == "Nur-Sultan"
    assert article.source == "Kazinform"
    assert opening(article) == "0247e0fa6b250f24"
    assert article.title not in article.text
    assert_clean(article)


DIGEST = [
    ("a38909f0ad8223f7", "2022-06-01T15:45:00", "4427ed438727e8bd", "09b23898f0310159"),
    ("c046b3dd95a832db", "2022-06-01T18:20:00", "8bc9d721480aa3e8", "cbf8ea418e78f103"),
    ("6d114f123ea8cd8c", "2022-06-01T12:30:00", "35c367b7feced667", "96ddbf3be1522537"),
    ("e5ed2cf82539c2cd", "2022-05-31T19:00:00", "22c84119a09d5db0", "dd26e5e166b967f0"),
    ("0ea2fa893b0d1e4a", "2022-05-31T17:30:00", "1e93f4262636ad3d", "29e0842f4c384d09"),
    ("926d6c49d7e034ca", "2022-05-30T21:30:00", "e5a478ac61e13641", "a9556e28114e787d"),
    ("2e916ccc537de2d5", "2022-05-30T16:00:00", "36177fa06ade54c2", "a322852a8f621c3a"),
    ("df654205bf1d2a08", "2022-05-27T21:30:00", "329da9e0b742bb7b", "ada31bc940cb89a8"),
    ("1220b84b8f47339d", "2022-05-27T19:30:00", "ed6b40674419e634", "02ea12c1d17d222a"),
]


def test_digest_splits_into_nine_items() -> None:
    items = read("002_27ebbd8261c99c81.txt")
    assert len(items) == 9
    titles = [article.title for article in items]
    for article, (title, published, first, last) in zip(items, DIGEST, strict=True):
        assert (fp(article.title), article.published) == (title, published)
        assert (opening(article), ending(article)) == (first, last)
        assert article.source == "Kazinform"
        assert article.dateline is None
        assert not article.title_inferred
        assert not any(other in article.text for other in titles)
        assert_clean(article)
    assert items[0].extra["image_credit"] == "ortcom.kz"
    assert items[0].extra["views"] == 4021
    assert "image_credit" not in items[1].extra


def test_undated_oped_keeps_date_unknown_and_signature_as_byline() -> None:
    (article,) = read("003_b78a30f9cfcb44ee.txt")
    assert article.published is None and not article.published_inferred
    assert fp(article.byline) == "3e311e457ebd0710"
    assert article.byline.startswith("Embassy of ")
    assert article.byline not in article.text
    assert opening(article) == "b27724f81cf840e5"
    assert article.title_inferred
    assert len(article.paragraphs) == 21


def test_dateline_with_en_dash_and_no_agency() -> None:
    (article,) = read("004_7ff9e670e07e3db1.txt")
    assert article.published == "2020-09-14"
    assert article.dateline == "Nur-Sultan"
    assert opening(article) == "c85b481ce4c3f27c"
    assert article.title_inferred
    assert_clean(article)


@pytest.mark.parametrize(
    "name", ["000_9c557d8994a7c5fe.txt", "001_bb03d2d6f9ac7590.txt", "004_7ff9e670e07e3db1.txt"]
)
def test_ids_are_stable_content_hashes(name: str) -> None:
    first, second = read(name), read(name)
    assert [a.id for a in first] == [a.id for a in second]
    assert len(first[0].id) == 20
