"""Web inputs end to end: HTML pages, RSS/Atom feeds and downloads from a real local server."""

from __future__ import annotations

import functools
import http.server
import threading
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from diplograph.ingest.errors import Rejected, Rejection
from diplograph.ingest.feed import read_feed
from diplograph.ingest.fetch import fetch
from diplograph.ingest.html import read_html
from diplograph.ingest.sources import Source, discover, read_source
from diplograph.models import Article

ENTITY_REASON = "feed declares XML entities; refused (possible entity-expansion attack)"

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Lakeland and Varnia agree to reopen border crossings | The Meridian Courier</title>
<meta property="og:title" content="Lakeland and Varnia agree to reopen border crossings">
<meta property="og:site_name" content="The Meridian Courier">
<meta property="article:published_time" content="2024-03-14T09:30:00+01:00">
<meta name="author" content="Petra Holm">
<link rel="canonical" href="https://courier.example.org/world/lakeland-varnia-border">
</head>
<body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/world">World desk</a></li>
  <li><a href="/opinion">Opinion pages</a></li><li><a href="/subscribe">Subscribe and save</a></li>
</ul></nav></header>
<div class="cookie-banner" id="cookie-consent">We use cookies to improve your reading
experience. Accept all cookies or manage your preferences.</div>
<main><article>
<h1>Lakeland and Varnia agree to reopen border crossings</h1>
<p class="byline">By Petra Holm</p>
<p>ESTRAVEN (Courier) - The foreign ministers of Lakeland and Varnia agreed on Thursday to
reopen three border crossings that have been closed since the autumn, ending a months-long
dispute over customs inspections.</p>
<p>Speaking after four hours of talks in the lakeside capital, Lakeland's foreign minister
Ilse Varga said the deal would let lorries and farm traffic move freely again before the
spring planting season.</p>
<p>Her Varnian counterpart, Tomas Reyes, called the agreement "a first step toward rebuilding
trust" and said joint patrols would begin at the crossings next month.</p>
<p>Both governments will ask the regional trade commission to monitor the arrangement, and a
follow-up meeting of deputy ministers is planned for May.</p>
</article></main>
<aside class="related"><h3>Related stories</h3><ul>
  <li><a href="/a">Grain prices climb again in the delta</a></li>
  <li><a href="/b">Ferry strike enters its second week</a></li>
</ul></aside>
<footer><p>Copyright 2024 The Meridian Courier. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
</body>
</html>
"""

ARTICLE_PARAGRAPHS = [
    "The foreign ministers of Lakeland and Varnia agreed on Thursday to reopen three border "
    "crossings that have been closed since the autumn, ending a months-long dispute over "
    "customs inspections.",
    "Speaking after four hours of talks in the lakeside capital, Lakeland's foreign minister "
    "Ilse Varga said the deal would let lorries and farm traffic move freely again before the "
    "spring planting season.",
    'Her Varnian counterpart, Tomas Reyes, called the agreement "a first step toward rebuilding '
    'trust" and said joint patrols would begin at the crossings next month.',
    "Both governments will ask the regional trade commission to monitor the arrangement, and a "
    "follow-up meeting of deputy ministers is planned for May.",
]
BOILERPLATE = ["cookies", "Subscribe", "World desk", "All rights reserved", "Privacy policy",
               "Ferry strike", "Related stories"]  # fmt: skip

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Gazette: Diplomacy</title>
  <link>https://gazette.example.net/diplomacy</link>
  <description>Foreign affairs from the Harbour Gazette</description>
  <item>
    <title>Ostmark recalls its ambassador from Pelagia</title>
    <link>https://gazette.example.net/diplomacy/ostmark-recall</link>
    <guid isPermaLink="false">hg-2024-0412</guid>
    <pubDate>Fri, 12 Apr 2024 16:45:00 +0200</pubDate>
    <dc:creator>Anders Lund</dc:creator>
    <description>Ostmark has recalled its envoy for consultations.</description>
    <content:encoded><![CDATA[<p>Ostmark has recalled its ambassador from Pelagia for
      consultations after a dispute over fishing licences in the northern strait.</p>
      <p>The foreign ministry in Ostmark said the envoy would return<br>once Pelagia
      explained the seizure of two trawlers last week.</p>]]></content:encoded>
  </item>
  <item>
    <title>Talks on river water sharing resume in Quell</title>
    <link>/diplomacy/quell-water-talks</link>
    <pubDate>Thu, 11 Apr 2024 08:00:00 GMT</pubDate>
    <author>desk@gazette.example.net (Mira Osei)</author>
    <description>&lt;p&gt;Delegations from three upstream states met in Quell on Thursday to
      revive negotiations on sharing the waters of the Amber river.&lt;/p&gt;
      &lt;p&gt;A draft treaty could be ready by the end of the summer, officials said.&lt;/p&gt;
    </description>
  </item>
  <item>
    <title>Photo gallery: the summit in pictures</title>
    <link>https://gazette.example.net/diplomacy/gallery</link>
    <pubDate>Wed, 10 Apr 2024 12:00:00 GMT</pubDate>
    <description></description>
  </item>
</channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Continental Wire - World</title>
  <id>urn:example:continental-wire:world</id>
  <updated>2024-05-02T10:00:00Z</updated>
  <link rel="self" href="https://wire.example.com/world.atom"/>
  <entry>
    <title>Coastal states sign maritime rescue pact</title>
    <id>urn:example:continental-wire:7741</id>
    <link rel="alternate" href="https://wire.example.com/world/7741"/>
    <published>2024-05-01T14:20:00+03:00</published>
    <updated>2024-05-02T09:00:00Z</updated>
    <author><name>Jonas Berg</name></author>
    <content type="html">&lt;p&gt;Five coastal states signed a pact in Port Aline on
      Wednesday to coordinate search-and-rescue operations at sea.&lt;/p&gt;
      &lt;p&gt;The agreement creates a shared command centre and a joint fund for
      rescue vessels.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Envoys meet to prepare the autumn summit</title>
    <id>urn:example:continental-wire:7742</id>
    <link rel="alternate" href="https://wire.example.com/world/7742"/>
    <updated>2024-05-02T08:15:00Z</updated>
    <summary type="text">Senior envoys from the northern alliance met in Tarsel to draft
the agenda for the autumn summit, with energy security at the top of the list.</summary>
  </entry>
</feed>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""

XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY secret SYSTEM "{target}">
]>
<rss version="2.0"><channel><title>Leaky</title>
<item><title>Leak</title><description>&secret;</description></item>
</channel></rss>
"""


@dataclass
class Site:
    """The local web server: its base URL, its document folder and the paths requested."""

    base: str
    root: Path
    requests: list[str] = field(default_factory=list)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files plus a redirect, a redirect loop and a body sent without a length."""

    def __init__(self, *args, site: Site, **kwargs) -> None:
        self.site = site
        super().__init__(*args, directory=str(site.root), **kwargs)

    def do_GET(self) -> None:
        self.site.requests.append(self.path)
        if self.path == "/old-article":
            self._redirect("/news/article.html")
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif self.path == "/stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the body ends when the connection closes
            for _ in range(50):
                self.wfile.write(b"x" * 100)
        else:
            super().do_GET()

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "www"
    (root / "news").mkdir(parents=True)
    (root / "news" / "article.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (root / "diplomacy.rss").write_text(RSS_FEED, encoding="utf-8")
    (root / "world.atom").write_text(ATOM_FEED, encoding="utf-8")
    (root / "laughs.xml").write_text(BILLION_LAUGHS, encoding="utf-8")
    (root / "secret.txt").write_text("classified cable text", encoding="utf-8")
    (root / "big.txt").write_bytes(b"y" * 5000)
    site = Site(base="", root=root)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, site=site)
    )
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "xxe.xml").write_text(XXE_FEED.format(target=f"{site.base}/secret.txt"))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def read_url(url: str) -> list[Article | Rejection]:
    return [item for item, _ in read_source(Source(url))]


def read_path(path: Path) -> list[Article | Rejection]:
    results: list[Article | Rejection] = []
    for source in discover([str(path)]):
        assert isinstance(source, Source), source
        results.extend(item for item, _ in read_source(source))
    return results


def only_article(results: list[Article | Rejection]) -> Article:
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


def only_rejection(results: list[Article | Rejection]) -> Rejection:
    assert len(results) == 1, results
    assert isinstance(results[0], Rejection), results[0]
    return results[0]


def check_article_page(article: Article) -> None:
    assert article.title == "Lakeland and Varnia agree to reopen border crossings"
    assert not article.title_inferred
    assert article.published == "2024-03-14T08:30:00"  # 09:30 +01:00 in UTC
    assert article.byline == "Petra Holm"
    assert article.source == "The Meridian Courier"
    assert article.dateline == "Estraven"
    assert article.paragraphs == ARTICLE_PARAGRAPHS
    assert article.text == "\n\n".join(ARTICLE_PARAGRAPHS)
    for junk in BOILERPLATE:
        assert junk not in article.text


# --- HTML ------------------------------------------------------------------------------------


def test_html_page_from_url(site: Site) -> None:
    url = f"{site.base}/news/article.html"
    article = only_article(read_url(url))
    check_article_page(article)
    assert article.url == url
    assert article.extra["canonical_url"] == (
        "https://courier.example.org/world/lakeland-varnia-border"
    )


def test_html_page_from_disk(site: Site) -> None:
    path = site.root / "news" / "article.html"
    article = only_article(read_path(path))
    check_article_page(article)
    assert article.path == str(path)
    assert article.url == "https://courier.example.org/world/lakeland-varnia-border"


def test_html_folder_with_feeds_from_disk(site: Site) -> None:
    results = read_path(site.root)
    articles = [r for r in results if isinstance(r, Article)]
    rejected = {Path(r.where).name: r.reason for r in results if isinstance(r, Rejection)}
    assert {a.title for a in articles} >= {
        "Lakeland and Varnia agree to reopen border crossings",
        "Ostmark recalls its ambassador from Pelagia",
        "Coastal states sign maritime rescue pact",
    }
    assert rejected["laughs.xml"] == ENTITY_REASON
    assert rejected["xxe.xml"] == ENTITY_REASON


def test_html_keeps_line_breaks_lists_and_drops_repeated_headline() -> None:
    page = """<html><head><title>Joint statement on the Tarsel accord</title></head><body>
    <article><h1>Joint statement on the Tarsel accord</h1>
    <p>The two delegations issued a joint statement on Monday evening after the signing
    ceremony in Tarsel, setting out what each side has promised to do this year.</p>
    <ul><li>Both sides will release detained fishermen within thirty days.</li>
    <li>A hotline between the two coast guards will be installed before June.</li></ul>
    <p>The statement was read out by the host country's deputy foreign minister.</p>
    </article></body></html>"""
    article = read_html(page, path="statement.html")
    assert article.title == "Joint statement on the Tarsel accord"
    assert article.paragraphs[0].startswith("The two delegations issued a joint statement")
    assert "Both sides will release detained fishermen within thirty days." in article.paragraphs
    assert article.paragraphs[-1].startswith("The statement was read out")
    assert all(p != "Joint statement on the Tarsel accord" for p in article.paragraphs)


def test_html_without_article_text_is_rejected() -> None:
    page = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body>"
    with pytest.raises(Rejected, match="no article text found in HTML page"):
        read_html(page)


def test_html_reader_never_fetches_a_url_given_as_text(site: Site) -> None:
    # trafilatura/htmldate download strings that look like URLs; read_html must not.
    with pytest.raises(Rejected):
        read_html(f"{site.base}/news/article.html")
    assert site.requests == []


# --- feeds -----------------------------------------------------------------------------------


def check_rss(results: list[Article | Rejection], *, where: str) -> None:
    assert len(results) == 3, results
    first, second, third = results
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "Ostmark recalls its ambassador from Pelagia"
    assert first.url == "https://gazette.example.net/diplomacy/ostmark-recall"
    assert first.published == "2024-04-12T14:45:00"
    assert first.byline == "Anders Lund"
    assert first.source == "Harbour Gazette: Diplomacy"
    assert first.source_id == "hg-2024-0412"
    assert first.path == where
    assert first.paragraphs == [
        "Ostmark has recalled its ambassador from Pelagia for consultations after a dispute "
        "over fishing licences in the northern strait.",
        "The foreign ministry in Ostmark said the envoy would return once Pelagia explained "
        "the seizure of two trawlers last week.",
    ]
    assert second.title == "Talks on river water sharing resume in Quell"
    assert second.published == "2024-04-11T08:00:00"
    assert second.byline == "Mira Osei"
    assert len(second.paragraphs) == 2
    assert second.paragraphs[1] == (
        "A draft treaty could be ready by the end of the summer, officials said."
    )
    assert isinstance(third, Rejection)
    assert third.reason == "entry 3 'Photo gallery: the summit in pictures': no text"


def test_rss_feed_from_url(site: Site) -> None:
    url = f"{site.base}/diplomacy.rss"
    results = read_url(url)
    check_rss(results, where=url)
    second = results[1]
    assert isinstance(second, Article)
    assert second.url == f"{site.base}/diplomacy/quell-water-talks"  # relative link resolved


def test_rss_feed_from_disk(site: Site) -> None:
    path = site.root / "diplomacy.rss"
    results = read_path(path)
    check_rss(results, where=str(path))


def check_atom(results: list[Article | Rejection]) -> None:
    assert len(results) == 2, results
    first, second = results
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "Coastal states sign maritime rescue pact"
    assert first.url == "https://wire.example.com/world/7741"
    assert first.published == "2024-05-01T11:20:00"  # published wins over updated
    assert first.byline == "Jonas Berg"
    assert first.source == "Continental Wire - World"
    assert len(first.paragraphs) == 2
    assert first.paragraphs[1].startswith("The agreement creates a shared command centre")
    assert second.title == "Envoys meet to prepare the autumn summit"
    assert second.url == "https://wire.example.com/world/7742"
    assert second.published == "2024-05-02T08:15:00"  # only updated given
    assert second.paragraphs == [
        "Senior envoys from the northern alliance met in Tarsel to draft the agenda for the "
        "autumn summit, with energy security at the top of the list."
    ]


def test_atom_feed_from_url(site: Site) -> None:
    check_atom(read_url(f"{site.base}/world.atom"))


def test_atom_feed_from_disk(site: Site) -> None:
    check_atom(read_path(site.root / "world.atom"))


def test_billion_laughs_rejected_quickly(site: Site) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        from_url = only_rejection(read_url(f"{site.base}/laughs.xml"))
        from_disk = only_rejection(read_path(site.root / "laughs.xml"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 50 * 2**20  # the expansion would be gigabytes
    assert from_url.reason == ENTITY_REASON
    assert from_disk.reason == ENTITY_REASON


def test_external_entity_refused_and_never_fetched(site: Site) -> None:
    rejection = only_rejection(read_path(site.root / "xxe.xml"))
    assert rejection.reason == ENTITY_REASON
    rejection = only_rejection(read_url(f"{site.base}/xxe.xml"))
    assert rejection.reason == ENTITY_REASON
    assert "/secret.txt" not in site.requests


def test_malformed_and_non_feed_xml_rejected() -> None:
    with pytest.raises(Rejected, match="not well-formed XML"):
        list(read_feed(b"<rss><channel><title>Cut off"))
    with pytest.raises(Rejected, match="not an RSS/Atom feed"):
        list(read_feed(b"<?xml version='1.0'?><catalogue><book>Atlas</book></catalogue>"))


def test_feed_bytes_are_never_opened_as_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(RSS_FEED, encoding="utf-8")
    with pytest.raises(Rejected, match="not well-formed XML"):
        list(read_feed(str(secret).encode()))


# --- fetching --------------------------------------------------------------------------------


def test_404_rejected(site: Site) -> None:
    rejection = only_rejection(read_url(f"{site.base}/no-such-page.html"))
    assert "404" in rejection.reason
    assert rejection.reason.startswith("HTTP 404")


def test_redirect_followed(site: Site) -> None:
    article = only_article(read_url(f"{site.base}/old-article"))
    check_article_page(article)
    assert article.url == f"{site.base}/news/article.html"
    assert site.requests == ["/old-article", "/news/article.html"]


def test_redirect_loop_rejected(site: Site) -> None:
    with pytest.raises(Rejected, match="more than 5 redirects"):
        fetch(f"{site.base}/loop", max_bytes=10_000)


def test_too_large_response_rejected(site: Site) -> None:
    with pytest.raises(Rejected, match="larger than"):
        fetch(f"{site.base}/big.txt", max_bytes=1000)
    with pytest.raises(Rejected, match="larger than"):  # no Content-Length: counted while read
        fetch(f"{site.base}/stream", max_bytes=1000)
    assert len(fetch(f"{site.base}/stream", max_bytes=10_000).data) == 5000


def test_fetch_reports_content_type_and_final_url(site: Site) -> None:
    fetched = fetch(f"{site.base}/old-article", max_bytes=100_000)
    assert fetched.url == f"{site.base}/news/article.html"
    assert fetched.content_type is not None and fetched.content_type.startswith("text/html")
    assert fetched.data == ARTICLE_HTML.encode("utf-8")


def test_connection_refused_is_a_one_line_rejection() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens on the port any more
    with pytest.raises(Rejected) as info:
        fetch(f"http://127.0.0.1:{port}/", max_bytes=1000, timeout=5)
    assert info.value.reason.startswith("cannot connect")
    assert "\n" not in info.value.reason


def test_only_http_and_https(site: Site) -> None:
    with pytest.raises(Rejected, match="unsupported URL scheme"):
        fetch("ftp://example.org/feed.xml", max_bytes=1000)
    with pytest.raises(Rejected, match="redirected to an unsupported URL"):
        fetch(f"{site.base}/to-file", max_bytes=1000)
