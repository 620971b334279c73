"""The bundled example corpus (written by the team) covers every input shape, unconditionally."""

from __future__ import annotations

from conftest import EXAMPLES
from diplograph.ingest.errors import Rejection
from diplograph.ingest.sources import discover, read_source
from diplograph.models import Article


def read(relative: str) -> list[Article]:
    (source,) = list(discover([str(EXAMPLES / relative)]))
    items = [item for item, _ in read_source(source)]
    assert not [i for i in items if isinstance(i, Rejection)], items
    return items


def test_date_line_and_dateline_with_en_dash() -> None:
    (article,) = read("txt/kz-cn-wang-yi-2020.txt")
    assert article.published == "2020-09-14"
    assert article.dateline == "Nur-Sultan"
    assert article.source is None
    assert article.text.startswith("Kazakh President Kassym-Jomart Tokayev hosted")
    assert article.title_inferred


def test_date_line_place_dot_agency() -> None:
    (article,) = read("txt/vatican-reception-2021.txt")
    assert (article.published, article.dateline, article.source) == (
        "2021-02-09",
        "Vatican",
        "Kazinform",
    )
    assert article.text.startswith("Pope Francis on Monday urged governments")


def test_headline_then_dateline_agency_dash() -> None:
    (article,) = read("txt/headline-article-2022.txt")
    assert (
        article.title == "Xi Jinping arrives in Nur-Sultan on first trip abroad since the pandemic"
    )
    assert not article.title_inferred
    assert (article.published, article.dateline, article.source) == (
        "2022-09-14",
        "Nur-Sultan",
        "Kazinform",
    )
    assert not article.text.startswith(("NUR-SULTAN", "Xi Jinping arrives"))


def test_digest_items_with_credits_and_source_lines() -> None:
    items = read("txt/digest-2023-03.txt")
    assert [(a.title, a.published) for a in items] == [
        ("Turkish parliament ratifies Finland's NATO membership", "2023-03-30T22:45:00"),
        ("Xi Jinping and Putin agree economic plan at Kremlin talks", "2023-03-21T19:30:00"),
        ("International Criminal Court issues arrest warrant for Putin", "2023-03-17T21:05:00"),
        (
            "Saudi Arabia and Iran agree to restore ties in deal brokered by China",
            "2023-03-10T18:40:00",
        ),
    ]
    assert items[1].source == "Kazinform"
    assert items[3].source == "Anadolu Agency"
    assert items[0].extra["image_credit"] == "tbmm.gov.tr"
    assert [a.extra["views"] for a in items] == [6342, 7215, 9874, 5120]
    for article in items:
        assert "Images |" not in article.text and "Source:" not in article.text
        assert not any(p.strip("\u00a0 ") == "" for p in article.paragraphs)
    assert items[0].text.startswith("Turkey's Grand National Assembly voted unanimously")


def test_undated_oped_signature() -> None:
    (article,) = read("txt/oped-undated.txt")
    assert article.published is None
    assert article.byline == (
        "Department for Communications, Ministry for Foreign Affairs of Finland"
    )
    assert "Department for Communications" not in article.text
    assert len(article.paragraphs) == 6


def test_headline_without_date() -> None:
    (article,) = read("txt/bbc-style-headline.txt")
    assert article.title == (
        "Biden and Xi agree to keep talking after first face-to-face meeting in Bali"
    )
    assert article.published is None
    assert article.text.startswith("US President Joe Biden and Chinese President Xi Jinping")


def test_jsonl_articles_keep_their_metadata() -> None:
    items = read("jsonl/world-2022-2023.jsonl")
    assert len(items) == 8
    first = items[0]
    assert first.title == "Russia launches full-scale invasion of Ukraine"
    assert first.published == "2022-02-24T09:30:00"
    assert first.url and first.url.startswith("https://")
    assert first.source_id
    assert len({a.id for a in items}) == 8


def test_html_pages_and_feeds() -> None:
    (page,) = read("html/finland-nato-2023.html")
    assert page.title == "Finland becomes NATO's 31st member as flag is raised in Brussels"
    assert page.published.startswith("2023-04-04")
    assert page.byline == "Aino Virtanen"
    assert "cookie" not in page.text.lower()
    assert page.text.startswith("Helsinki ends decades of military non-alignment")
    assert len(read("rss/diplomacy-feed.xml")) == 4
    assert len(read("rss/atom-feed.xml")) == 2
