"""Turning what an analyst types ("KAZ", "China", "Chinese", "NATO", "Wang Yi") into an actor.

Every query command takes CODE_OR_NAME arguments; they all go through :func:`resolve_party`
so that the CLI, the Python API and the web app agree on what a name means.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from diplograph.nlp.pipeline import gazetteer
from diplograph.store.database import Store
from diplograph.store.schema import actor_aliases, actors


class UnknownActor(ValueError):
    """No state, organisation or stored actor answers to the name; ``suggestions`` may help."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"no actor known as {query!r}{hint}")
        self.query = query
        self.suggestions = suggestions


@dataclass(frozen=True)
class Party:
    """One side of a query: a state or organisation code, or particular stored actors.

    ``actor_ids`` is empty for a whole state or organisation (match by ``code``); for a person
    or a named body it lists the stored actor ids to match.
    """

    query: str
    name: str
    kind: str  # state | organization | person | other
    code: str | None
    actor_ids: tuple[str, ...] = field(default=())

    @property
    def is_code(self) -> bool:
        """True when the party matches every actor acting for ``code``."""
        return not self.actor_ids


def _org_codes() -> dict[str, str]:
    gaz = gazetteer()
    codes: dict[str, str] = {}
    for org in gaz.orgs.values():
        if org.get("sector") in {"IGO", "JUD", "NGO"}:
            codes.setdefault(org["code"].upper(), org["name"])
    return codes


def resolve_party(store: Store, text: str) -> Party:
    """Resolve CODE_OR_NAME; raise :class:`UnknownActor` with suggestions when nothing fits."""
    query = " ".join((text or "").split())
    if not query:
        raise UnknownActor(text or "", [])
    gaz = gazetteer()
    upper = query.upper()
    if upper in gaz.states:
        return Party(query, gaz.states[upper]["names"][0], "state", upper)
    org_codes = _org_codes()
    if upper in org_codes:
        return Party(query, org_codes[upper], "organization", upper)
    ident = gaz.entity_id(query)
    if ident:
        kind, _, rest = ident.partition(":")
        if kind == "org":
            org = gaz.orgs[rest]
            if org.get("sector") in {"IGO", "JUD", "NGO"} and org["name"] == org_codes.get(
                org["code"].upper()
            ):
                return Party(query, org["name"], "organization", org["code"].upper())
            return Party(query, org["name"], "organization", org["code"], (f"org:{rest}",))
        code = rest.split(":")[0]
        return Party(query, gaz.states[code]["names"][0], "state", code)
    with store.engine.connect() as connection:
        folded = query.casefold()
        rows = connection.execute(
            select(actors.c.id, actors.c.name, actors.c.kind, actors.c.code)
            .where(
                or_(
                    actors.c.id == query,
                    func.lower(actors.c.name) == folded,
                    actors.c.id.in_(
                        select(actor_aliases.c.actor_id).where(
                            func.lower(actor_aliases.c.alias) == folded
                        )
                    ),
                )
            )
            .order_by(actors.c.mention_count.desc(), actors.c.id)
        ).all()
        if rows:
            first = rows[0]
            return Party(query, first.name, first.kind, first.code, tuple(row.id for row in rows))
        known = connection.execute(
            select(actors.c.name, actor_aliases.c.alias)
            .join(actor_aliases, actor_aliases.c.actor_id == actors.c.id, isouter=True)
            .order_by(actors.c.mention_count.desc())
            .limit(20000)
        ).all()
    by_text = {s["names"][0]: s["names"][0] for s in gaz.states.values()}
    for name, alias in known:
        by_text.setdefault(name, name)
        if alias:
            by_text.setdefault(alias, name)
    close = difflib.get_close_matches(query, list(by_text), n=10, cutoff=0.6)
    suggestions = list(dict.fromkeys(by_text[text] for text in close))[:5]
    raise UnknownActor(query, suggestions)
