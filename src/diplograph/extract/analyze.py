"""Reading articles: spaCy parse → actors → dates → events → facts, for a batch at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from diplograph import __version__
from diplograph.extract.actors import resolve_actors
from diplograph.extract.events import EventExtractor
from diplograph.extract.facts import extract_facts
from diplograph.extract.lexicon import Lexicon
from diplograph.extract.registry import ActorRegistry
from diplograph.models import Analysis, Article
from diplograph.nlp.dates import find_dates
from diplograph.nlp.pipeline import load_nlp

ANALYSIS_VERSION = f"diplograph-{__version__}"


class Analyzer:
    """Holds the loaded model, lexicon and actor registry; analyses articles in batches.

    Create one per process: loading the spaCy model is the expensive part.
    """

    def __init__(self, registry: ActorRegistry | None = None, *, batch_size: int = 32) -> None:
        self.nlp = load_nlp()
        self.events = EventExtractor(Lexicon.load())
        self.registry = registry if registry is not None else ActorRegistry()
        self.batch_size = batch_size

    def analyze(self, articles: Sequence[Article]) -> Iterator[Analysis]:
        """One Analysis per article, in order."""
        docs = self.nlp.pipe((a.text for a in articles), batch_size=self.batch_size)
        for article, doc in zip(articles, docs, strict=True):
            actors = resolve_actors(doc, article, self.registry)
            dates = find_dates(article.text, article.published)
            yield Analysis(
                article_id=article.id,
                actors=actors,
                events=self.events.extract(doc, article, actors, dates),
                facts=extract_facts(doc, article, actors, dates),
                version=ANALYSIS_VERSION,
            )
