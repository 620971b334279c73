"""The Python API: ``kb = diplograph.open("diplograph.db")`` and questions as method calls.

Every method returns typed records (dataclasses with ``to_dict()``); with ``as_frame=True``
a pandas DataFrame with one flat row per record instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from diplograph.kb import query
from diplograph.kb.records import iter_facts
from diplograph.kb.resolve import Party, resolve_party
from diplograph.store.database import Store

if TYPE_CHECKING:
    import pandas


def to_frame(rows: list[Any]) -> pandas.DataFrame:
    """Records (dataclasses with ``row()`` or ``to_dict()``, or dicts) as a DataFrame."""
    import pandas

    flat = [
        row.row() if hasattr(row, "row") else row.to_dict() if hasattr(row, "to_dict") else row
        for row in rows
    ]
    return pandas.DataFrame(flat)


class KnowledgeBase:
    """An open knowledge base (SQLite file or PostgreSQL URL). Close it, or use ``with``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, db: str | None = None) -> KnowledgeBase:
        """Open ``db``: a path, ``sqlite:///path`` or ``postgresql://…`` (``--db`` alike)."""
        return cls(Store(db))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def events(self, *, as_frame: bool = False, **filters: Any) -> Any:
        """Events matching :func:`diplograph.kb.query.find_events`'s filters (an EventPage).

        ``kb.events(actor="KAZ", partner="China", type="consult", since="2020")``
        """
        page = query.find_events(self.store, **filters)
        return to_frame(page.rows()) if as_frame else page

    def actors(
        self,
        query_: str | None = None,
        *,
        kind: str | None = None,
        limit: int = 50,
        as_frame: bool = False,
    ) -> Any:
        """Actors whose name or alias contains ``query_``, most mentioned first."""
        found = query.find_actors(self.store, query_, kind=kind, limit=limit)
        return to_frame(found) if as_frame else found

    def actor(self, name_or_id: str) -> query.ActorDetail:
        """One actor: aliases, offices, counts, top partners, recent events."""
        return query.actor_detail(self.store, name_or_id)

    def relations(
        self,
        code_or_name: str,
        *,
        since: str | None = None,
        until: str | None = None,
        as_frame: bool = False,
    ) -> Any:
        """Partners ranked by shared events, with quad-class counts and mean score."""
        found = query.relations(self.store, code_or_name, since=since, until=until)
        return to_frame(found) if as_frame else found

    def timeline(
        self,
        a: str,
        b: str | None = None,
        *,
        by: str = "month",
        since: str | None = None,
        until: str | None = None,
        as_frame: bool = False,
    ) -> Any:
        """Per month, quarter or year: the dyad's events by type and quad class, mean score."""
        found = query.timeline(self.store, a, b, by=by, since=since, until=until)
        return to_frame(found) if as_frame else found

    def calendar(
        self,
        since: str | None = None,
        until: str | None = None,
        *,
        limit: int = 100,
        as_frame: bool = False,
    ) -> Any:
        """Planned events (aux future), soonest first."""
        found = query.calendar(self.store, since, until, limit=limit)
        if as_frame:
            return to_frame(
                [{"planned_date": p.planned_date} | query.flat_event(p.event) for p in found]
            )
        return found

    def search(self, text: str, limit: int = 20, *, as_frame: bool = False) -> Any:
        """Full-text hits over articles and event evidence."""
        found = query.search(self.store, text, limit)
        if as_frame:
            return to_frame(
                [{k: v for k, v in h.to_dict().items() if k != "record"} for h in found]
            )
        return found

    def facts(
        self, kind: str | None = None, party: str | None = None, *, as_frame: bool = False
    ) -> Any:
        """Facts (export shape), of one ``kind`` and/or naming ``party`` (code or name)."""
        wanted = resolve_party(self.store, party) if party else None
        found = [
            fact
            for fact in iter_facts(self.store)
            if (kind is None or fact["kind"] == kind)
            and (wanted is None or _names_party(fact, wanted))
        ]
        if as_frame:
            return to_frame([{k: v for k, v in f.items() if k != "mentions"} for f in found])
        return found

    def articles(self, source: str | None = None, limit: int = 50, offset: int = 0) -> Any:
        """A page of article metadata, newest first (``total``, ``items``)."""
        from diplograph.kb.articles import list_articles

        return list_articles(self.store, source, limit, offset)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its text and the offsets of each event's evidence in it."""
        from diplograph.kb.articles import article

        return article(self.store, article_id)

    def places(self, *, as_frame: bool = False) -> Any:
        """Events per place (country code and place name), busiest first."""
        from diplograph.kb.articles import places

        found = places(self.store)
        return to_frame([p.to_dict() for p in found]) if as_frame else found

    def brief(self, a: str, b: str, since: str | None = None, until: str | None = None) -> Any:
        """The bilateral relations brief of ``a`` and ``b`` (see :mod:`diplograph.kb.brief`)."""
        from diplograph.kb.brief import build_brief

        return build_brief(self.store, a, b, since=since, until=until)


def _names_party(fact: dict[str, Any], party: Party) -> bool:
    if party.is_code:
        return party.code in (fact.get("parties") or []) or fact.get("code") == party.code
    return (fact.get("subject") or "").casefold() == party.name.casefold()
