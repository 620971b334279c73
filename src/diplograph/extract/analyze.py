"""Reading articles: spaCy parse → actors → dates → events → facts, for a batch at a time."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from diplograph import __version__
from diplograph.extract.actors import resolve_actors
from diplograph.extract.coder import EventCoder
from diplograph.extract.events import EventExtractor
from diplograph.extract.facts import extract_facts
from diplograph.extract.lexicon import Lexicon
from diplograph.extract.registry import ActorRegistry
from diplograph.extract.scene import sentence_scenes
from diplograph.models import ActorMention, Analysis, Article
from diplograph.nlp.dates import find_dates
from diplograph.nlp.parallel import ParsePool
from diplograph.nlp.pipeline import Gazetteer, gazetteer, load_nlp

if TYPE_CHECKING:
    from distributed import Client

    from diplograph.nlp.cluster import ClusterParser

ANALYSIS_VERSION = f"diplograph-{__version__}"
PARALLEL_FROM = 16  # articles in a batch before the parse is shared out (smaller: no gain)


class Analyzer:
    """Holds the loaded model, lexicon and actor registry; analyses articles in batches.

    Create one per process: loading the spaCy model is the expensive part. Without a
    ``registry`` the analyzer starts from the starter registry (``ActorRegistry.starter``).
    With ``jobs`` > 1 the parsing runs in that many worker processes, started when the first
    batch large enough to share arrives; the rest of the analysis stays here, in article
    order, so the results do not depend on ``jobs``. With ``cluster`` (a Dask scheduler
    address, ``"local"`` or a ``distributed.Client``) the parsing runs on that cluster's
    workers instead, the same way. Close the analyzer to stop the workers.
    """

    def __init__(
        self,
        registry: ActorRegistry | None = None,
        *,
        batch_size: int = 32,
        jobs: int = 1,
        cluster: str | Client | None = None,
    ) -> None:
        self.nlp = load_nlp()
        lexicon = Lexicon.load()
        self.events = EventExtractor(lexicon, gazetteer(), EventCoder.packaged(lexicon))
        self.registry = registry if registry is not None else ActorRegistry.starter()
        self.batch_size = batch_size
        self.state_codes = frozenset(gazetteer().states)
        self.jobs = max(1, jobs)
        self.cluster = cluster
        self._pool: ParsePool | ClusterParser | None = None

    def _docs(self, texts: list[str]) -> Iterator[Doc]:
        if self.cluster is not None:
            if self._pool is None:
                from diplograph.nlp.cluster import ClusterParser  # distributed: slow to import

                self._pool = ClusterParser(self.cluster, self.nlp, workers=self.jobs)
            return self._pool.parse(texts)
        if self.jobs > 1 and len(texts) >= PARALLEL_FROM:
            if self._pool is None:
                self._pool = ParsePool(self.nlp, self.jobs)
            return self._pool.parse(texts)
        return self.nlp.pipe(texts, batch_size=self.batch_size)

    def close(self) -> None:
        """Stop the parsing workers, if any were started."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def analyze(self, articles: Sequence[Article]) -> Iterator[Analysis]:
        """One Analysis per article, in order."""
        docs = self._docs([a.text for a in articles])
        for article, doc in zip(articles, docs, strict=True):
            resolved = resolve_actors(doc, article, self.registry)
            # scenes count only states, which localising leaves alone: computed once for both
            scenes = sentence_scenes(doc, resolved, gazetteer())
            actors = localise_stateless(resolved, self.state_codes, doc, gazetteer(), scenes)
            dates = find_dates(article.text, article.published)
            yield Analysis(
                article_id=article.id,
                actors=actors,
                events=self.events.extract(doc, article, actors, dates, scenes),
                facts=extract_facts(doc, article, actors, dates),
                version=ANALYSIS_VERSION,
            )


# Codes that are neither a state nor an international organisation: transnational armed
# groups and NGOs. Events need a state or IGO code (interface.md), so they act for the state
# where the text places them.
_IGO_SECTORS = {"IGO", "JUD"}


@cache
def _armed_group_codes() -> frozenset[str]:
    """Codes of armed groups that are no state's (Islamic State, al-Qaeda)."""
    gaz = gazetteer()
    return frozenset(
        org["code"]
        for org in gaz.orgs.values()
        if org.get("sector") == "REB" and org["code"] not in gaz.states
    )


def localise_stateless(
    mentions: list[ActorMention],
    state_codes: frozenset[str],
    doc: Doc | None = None,
    gaz: Gazetteer | None = None,
    scenes: dict[int, str | None] | None = None,
) -> list[ActorMention]:
    """Give non-state groups without a country the code of the state they act in: the scene
    of their sentence (``extract/scene.py``) when ``doc`` is given, else the state the article
    names most. ``scenes``: ``sentence_scenes`` of ``doc``, when the caller has them."""

    armed = _armed_group_codes()

    def stateless(m: ActorMention) -> bool:
        if m.code is None or m.code in state_codes:
            return False
        if m.kind == "organization":
            return m.sector not in _IGO_SECTORS
        return m.kind == "person" and m.code in armed  # "the Isis leader, al-Baghdadi"

    if not any(stateless(m) for m in mentions):
        return mentions
    states = [m for m in mentions if m.code in state_codes and m.kind != "organization"]
    article_state = Counter(m.code for m in states).most_common(1)
    fallback = article_state[0][0] if article_state else None
    starts: list[int] = []  # each sentence's first character, and its scene
    codes: list[str | None] = []
    if doc is not None:
        if scenes is None:
            scenes = sentence_scenes(doc, mentions, gaz)
        for sentence in doc.sents:
            starts.append(sentence.start_char)
            codes.append(scenes.get(sentence.start))
    out = []
    for m in mentions:
        if stateless(m):
            at = bisect_right(starts, m.start) - 1
            code = (codes[at] if at >= 0 else None) or fallback
            out.append(replace(m, code=code) if code else m)
        else:
            out.append(m)
    return out
