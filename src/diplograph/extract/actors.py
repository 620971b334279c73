"""Actor resolution: every state, organisation and person mention to a canonical actor.

States resolve to ISO 3166-1 alpha-3 codes, organisations to their acronym code, people to the
state or organisation they act for, read from the titles and appositions around the name
("Ambassador of Kazakhstan Alibek Bakayev", "Wang Yi of China", "Deborah Lyons, the Special
Representative of the UN ..."), from other mentions of the same person in the article, and from
the :class:`ActorRegistry`. Nominal mentions ("the Head of State", "the Kazakh PM") resolve to the
person last named for that office, else to the registry's holder of the office at the article's
date, else to a generic actor for the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from diplograph.extract.registry import ActorRegistry, name_tokens
from diplograph.models import ActorMention, Article
from diplograph.nlp.pipeline import find_offices, gazetteer, office_matchers

_LOCATIVE_TEXT = "in at from near outside into across around inside to towards via through"
LOCATIVE = frozenset(_LOCATIVE_TEXT.split())
LINKS = frozenset(
    [
        "of",
        "the",
        "'s",
        "\u2019s",
        ",",
        "-",
        "\u2013",
        "\u2014",
        "and",
        "(",
        ")",
        "for",
        "to",
        "in",
        "on",
        "at",
        "with",
        "a",
        "an",
        "&",
        "'",
    ]
)
STOP_AFTER_OF = frozenset({"to", "for", "in", "at", "on", "with"})
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})


@dataclass
class Party:
    """A coded ent in a title chain: a state, an organisation or a possessive person."""

    span: Span
    code: str
    sector: str | None = None


@dataclass
class Held:
    """An office read from a title chain, for ``code`` (None when the chain does not say)."""

    record: dict[str, Any]
    span: Span
    code: str | None = None
    party_sector: str | None = None


@dataclass
class Cluster:
    """One person within an article: every mention of the same name."""

    name: str
    code: str | None = None
    sector: str | None = None
    offices: list[Held] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # token positions
    key: str | None = None
    guessed: bool = False  # code read from the sentence around the name, not from a title


@cache
def _matchers(vocab: Any) -> Any:
    return office_matchers(vocab)


def _entity(ent: Span) -> tuple[str, str, str | None] | None:
    """(kind, code, sector) of a gazetteer entity: kind is state, place, capital or org."""
    gaz = gazetteer()
    ident = ent.ent_id_ or (gaz.entity_id(ent.text) if ent.label_ != "PERSON" else None)
    if not ident or ident == "region":
        return None
    kind, _, rest = ident.partition(":")
    if kind == "org":
        org = gaz.orgs[rest]
        return "org", org["code"], org.get("sector")
    code, _, sector = rest.partition(":")
    return {"norp": "state", "meto": "state"}.get(kind, kind), code, sector or None


class _Resolver:
    """Resolution of one analysed article (all state lives here, per call)."""

    def __init__(self, doc: Doc, article: Article, registry: ActorRegistry) -> None:
        self.doc, self.article, self.registry = doc, article, registry
        self.gaz = gazetteer()
        self.date = article.published[:10] if article.published else None
        self.offices = list(
            doc.spans["offices"]
            if "offices" in doc.spans
            else find_offices(doc, _matchers(doc.vocab))
        )
        self.office_end = {o.end - 1: o for o in self.offices}
        self.office_start = {o.start: o for o in self.offices}
        self.office_keys = {(o.start, o.end) for o in self.offices}
        self.office_at = {i for o in self.offices for i in range(o.start, o.end)}
        self.ent_at = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self.absorbed: set[int] = set()  # ent starts and office starts used by a person
        self.clusters: list[Cluster] = []
        self.mentions: list[ActorMention] = []
        self._pending: list[tuple[Span, Cluster, list[Held]]] = []
        self._nominal: list[tuple[Span, Cluster | None, dict[str, Any]]] = []

    def _is_office(self, el: Span | Token | None) -> bool:
        return isinstance(el, Span) and (el.start, el.end) in self.office_keys

    # -- title chains ------------------------------------------------------------------
    def _party(self, ent: Span) -> Party | None:
        if ent.label_ == "PERSON":
            cluster = self._cluster_of(ent.text)
            return Party(ent, cluster.code, cluster.sector) if cluster and cluster.code else None
        found = _entity(ent)
        if not found or found[0] == "place" and ent.label_ != "NORP":
            return None
        return Party(ent, found[1], found[2])

    def _elements(self, lo: int, hi: int) -> list[Span | Token]:
        """Offices, ents and tokens between two token positions, left to right."""
        out: list[Span | Token] = []
        i = lo
        while i < hi:
            if i in self.office_start:
                out.append(self.office_start[i])
                i = self.office_start[i].end
            elif i in self.ent_at and self.ent_at[i].start == i:
                out.append(self.ent_at[i])
                i = self.ent_at[i].end
            else:
                out.append(self.doc[i])
                i += 1
        return out

    def _left_bound(self, start: int) -> int:
        """Where the title chain before a name begins."""
        doc, i = self.doc, start - 1
        while i >= 0 and start - i < 40:
            if i in self.office_end:
                i = self.office_end[i].start - 1
            elif i in self.ent_at:
                ent = self.ent_at[i]
                nxt = doc[ent.end] if ent.end < len(doc) else None
                if ent.label_ == "PERSON" and not (
                    nxt is not None and nxt.text in {"'s", "\u2019s"}
                ):
                    break
                i = ent.start - 1
            elif doc[i].text in LINKS or (
                doc[i].is_title and doc[i].pos_ in {"PROPN", "NOUN", "ADJ"}
            ):
                i -= 1
            else:
                break
        return i + 1

    def _right_bound(self, end: int) -> int:
        """End of an apposition after a name: "Wang Yi of China", "X, the Envoy of the UN"."""
        doc = self.doc
        if end < len(doc) and doc[end].text == "of":
            return min(end + 4, len(doc))
        if end + 1 >= len(doc) or doc[end].text != ",":
            return end
        first = doc[end + 1]
        if (
            first.lower_ not in {"the", "a", "an"}
            and end + 1 not in self.office_start
            and not (first.ent_id_ and first.ent_type_ != "PERSON")
        ):
            return end
        i = end + 1
        while (
            i < len(doc)
            and i - end < 30
            and doc[i].text not in {",", ";", "."}
            and doc[i].ent_type_ != "PERSON"
            and not (
                doc[i].pos_ in {"VERB", "AUX"} and i not in self.ent_at and i not in self.office_at
            )
        ):
            i += 1
        if i < len(doc) and doc[i].ent_type_ == "PERSON":
            return end
        return i

    def _parse(self, elements: list[Span | Token]) -> list[Held]:
        """The person's own offices in a chain, each with the code attached to it."""
        held: list[Held] = []
        for k, el in enumerate(elements):
            if not self._is_office(el):
                continue
            if self._dependent(elements, k):
                self.absorbed.add(el.start)
                continue
            party = self._modifier(elements, k) or self._complement(elements, k)
            for i in range(el.start, el.end):  # "Chairman of the Russian Government"
                if party is None and i in self.ent_at:
                    party = self._party(self.ent_at[i])
            held.append(Held(self.gaz.office(el), el, party and party.code, party and party.sector))
        if held:
            known = [h.code for h in held if h.code]
            for h in held:
                h.code = h.code or (known[-1] if known else None)
        return held

    def _dependent(self, elements: list[Span | Token], k: int) -> bool:
        """An office inside an of-phrase ("Envoy of the UN Secretary-General") is another's."""
        j = k - 1
        while j >= 0 and isinstance(elements[j], Token) and elements[j].text in {"the", "The"}:
            j -= 1
        if j >= 0 and isinstance(elements[j], Span) and not self._is_office(elements[j]):
            j -= 1
            while j >= 0 and isinstance(elements[j], Token) and elements[j].text in {"the", "The"}:
                j -= 1
        return (
            j >= 0
            and isinstance(elements[j], Token)
            and elements[j].text == "of"
            and any(self._is_office(el) for el in elements[:j])
        )

    def _modifier(self, elements: list[Span | Token], k: int) -> Party | None:
        """Code of "Kazakh President", "Poland's Minister", "the UN envoy"."""
        j = k - 1
        while (
            j >= 0
            and isinstance(elements[j], Token)
            and elements[j].text in {"the", "'s", "\u2019s"}
        ):
            j -= 1
        if j >= 0 and isinstance(elements[j], Span) and not self._is_office(elements[j]):
            party = self._party(elements[j])
            before = elements[j - 1] if j else None
            if party and not (isinstance(before, Token) and before.lower_ in LOCATIVE):
                self.absorbed.add(elements[j].start)
                return party
        return None

    def _complement(self, elements: list[Span | Token], k: int) -> Party | None:
        """Code of "Ambassador of Kazakhstan", "Chairman of the Senate of ... Kazakhstan"."""
        j, after_of = k + 1, False
        while j < len(elements):
            el = elements[j]
            if isinstance(el, Token):
                if el.text == "of":
                    after_of = True
                elif (
                    el.lower_ in STOP_AFTER_OF
                    or el.text in {",", "-", "\u2013", "\u2014", "and", "("}
                    or not (el.text in {"the", "The"} or el.is_title)
                ):
                    return None
            elif self._is_office(el):
                if not after_of:
                    return None
            elif after_of and (party := self._party(el)):
                self.absorbed.add(el.start)
                return party
            j += 1
        return None

    # -- people -------------------------------------------------------------------------
    def _cluster_of(self, name: str) -> Cluster | None:
        """The article's person this name denotes (full name, or one word of an earlier name)."""
        folded, words = name.casefold(), name_tokens(name)
        best = None
        for cluster in self.clusters:
            theirs = name_tokens(cluster.name)
            same = (
                cluster.name.casefold() == folded
                or (words and set(words) <= set(theirs))
                or (len(theirs) == 1 and theirs[0] in words)
            )
            if same and (best is None or cluster.mentions[-1] > best.mentions[-1]):
                best = cluster
        return best

    def _person(self, ent: Span) -> None:
        left = self._elements(self._left_bound(ent.start), ent.start)
        right = self._elements(ent.end, self._right_bound(ent.end))
        held = self._parse(left)
        right_held = self._parse(right)
        if right and isinstance(right[0], Token) and right[0].text == "of" and len(right) > 1:
            target = next((el for el in right[1:] if isinstance(el, Span)), None)
            party = (
                self._party(target) if target is not None and not self._is_office(target) else None
            )
            if party:
                self.absorbed.add(target.start)
                for h in held:
                    h.code = h.code or party.code
                held = held or [Held({"title": None, "sector": None}, ent, party.code)]
        held += right_held
        for h in held:
            h.code = h.code or h.record.get("code")
        held = [h for h in held if h.record.get("title") or h.code]
        if not held and (shared := self._shared_title(ent)):
            held = shared
        for h in held:
            if h.span is not ent:
                self.absorbed.add(h.span.start)
        cluster = self._cluster_of(ent.text)
        if cluster is None:
            cluster = Cluster(name=ent.text)
            self.clusters.append(cluster)
        elif len(name_tokens(ent.text)) > len(name_tokens(cluster.name)):
            cluster.name = ent.text
        cluster.mentions.append(ent.start)
        cluster.offices += [h for h in held if h.record.get("title")]
        code = next((h.code for h in reversed(held) if h.code), None)
        if code is None and held:
            code = self._chain_state(left)
        cluster.code = cluster.code or code
        self._pending.append((ent, cluster, held))

    def _chain_state(self, elements: list[Span | Token]) -> str | None:
        """The state or organisation named in a person's title chain when no office claimed
        it ("Deputy Chief of Staff of the President of the Republic of Kazakhstan – Special
        Representative ... Erzhan Kazykhan"); a portfolio ("for Afghanistan") does not count."""
        found = None
        for k, el in enumerate(elements):
            if not isinstance(el, Span) or self._is_office(el):
                continue
            before = elements[k - 1] if k else None
            if isinstance(before, Token) and before.lower_ in {"for", "on", "to", "in"}:
                continue
            party = self._party(el) if el.label_ != "PERSON" else None
            if party is not None and party.code:
                found = party.code
                self.absorbed.add(el.start)
        return found

    def _shared_title(self, ent: Span) -> list[Held]:
        """ "the Chairpersons ... Maulen Ashimbayev and Yerlan Koshanov": a plural title."""
        i = ent.start - 1
        if i < 1 or self.doc[i].text not in {"and", ","}:
            return []
        prev = self.ent_at.get(i - 1)
        for _, cluster, held in reversed(self._pending):
            if prev is not None and cluster.mentions[-1] == prev.start:
                return [h for h in held if h.span.root.tag_ in PLURAL_TAGS]
        return []

    @staticmethod
    def _main(held: list[Held]) -> Held | None:
        """The office a mention is reported with: the nearest specific one."""
        titled = [h for h in held if h.record.get("title") and not h.record.get("honorific")]
        specific = [h for h in titled if not h.record.get("generic")]
        return (specific or titled or [None])[-1]

    # -- article-level resolution ------------------------------------------------------
    def run(self) -> list[ActorMention]:
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" or self._misread_name(ent):
                self._person(ent)
        self._finish_people()
        self._nominals()
        self._learn()
        self._emit_people()
        self._emit_others()
        return sorted(self.mentions, key=lambda m: (m.start, -m.end))

    def _misread_name(self, ent: Span) -> bool:
        """ "Tokayev's" tagged ORG/GPE after "Kassym-Jomart Tokayev" was named."""
        return (
            ent.label_ in {"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"}
            and not ent.ent_id_
            and len(ent) <= 3
            and ent.text[:1].isupper()
            and _entity(ent) is None
            and (
                self._cluster_of(ent.text) is not None or self.registry.lookup(ent.text) is not None
            )
        )

    def _home_code(self) -> str | None:
        ident = self.gaz.entity_id(self.article.dateline) if self.article.dateline else None
        return ident.split(":")[1] if ident and not ident.startswith("org") else None

    def _sentence_code(self, ent: Span) -> str | None:
        """The one state named in the sentence and not already tied to someone."""
        codes = {
            found[1]
            for e in ent.sent.ents
            if e.start not in self.absorbed
            and e.label_ != "PERSON"
            and (found := _entity(e))
            and found[0] == "state"
        }
        return codes.pop() if len(codes) == 1 else None

    def _same_person(self, cluster: Cluster, known: Any) -> bool:
        """Is the registry's person the one this article names? A full name that matches is
        enough; a single name ("Francis") also needs no title that contradicts the registry's
        (the Pope is not the economist Samuel A. Francis)."""
        if cluster.code is not None and known.code != cluster.code:
            return False
        if len(name_tokens(cluster.name)) >= 2:
            return True
        titles = {h.record.get("title") for h in cluster.offices if h.record.get("title")}
        held = {title for title, _ in known.offices}
        return not titles or bool(titles & held)

    def _finish_people(self) -> None:
        home = self._home_code()
        for cluster in self.clusters:
            known = self.registry.lookup(cluster.name, self.date, code=cluster.code)
            if known and self._same_person(cluster, known):
                cluster.key, cluster.name = known.key, max(cluster.name, known.name, key=len)
                cluster.code = cluster.code or known.code
                cluster.sector = cluster.sector or known.sector
                if not cluster.offices and (office := known.office_at(self.date)):
                    record = next(
                        (o for o in self.gaz.office_list if o["title"] == office.title),
                        {"title": office.title, "sector": known.sector},
                    )
                    cluster.offices.append(Held(record, self.doc[0:0], office.code))
        for ent, cluster, held in self._pending:
            main = self._main(held)
            if cluster.code is None:
                head = main is not None and main.record.get("head")
                cluster.code = self._sentence_code(ent) or (home if head else None)
                cluster.guessed = cluster.code is not None
                for h in held:
                    h.code = h.code or cluster.code
            if cluster.sector is None and main is not None:
                cluster.sector = self._sector(main)

    @staticmethod
    def _sector(held: Held) -> str | None:
        if held.party_sector in {"IGO", "NGO", "REB", "OPP", "PTY", "MED", "BUS"}:
            return (
                held.party_sector
                if held.record.get("generic") or held.party_sector in {"IGO", "NGO"}
                else held.record.get("sector")
            )
        return held.record.get("sector") or held.party_sector

    def _nominals(self) -> None:
        """ "the Head of State", "the Kazakh PM", "the Swiss diplomat" -> a person."""
        doc = self.doc
        for office in self.offices:
            record = self.gaz.office(office)
            if (
                office.start in self.absorbed
                or record.get("nominal") is False
                or record.get("honorific")
                or office.root.tag_ in PLURAL_TAGS
                or (record.get("generic") and not record.get("matches"))
            ):
                continue
            elements = self._elements(max(office.start - 3, 0), min(office.end + 4, len(doc)))
            k = next(
                i
                for i, el in enumerate(elements)
                if isinstance(el, Span) and (el.start, el.end) == (office.start, office.end)
            )
            party = (
                self._modifier(elements, k)
                or self._complement(elements, k)
                or next(
                    (
                        p
                        for i in range(office.start, office.end)
                        if i in self.ent_at and (p := self._party(self.ent_at[i]))
                    ),
                    None,
                )
            )
            before = doc[office.start - 1].lower_ if office.start else ""
            if party is None and before != "the" and not office.text[:1].isupper():
                continue
            code = party.code if party else record.get("code")
            cluster = self._referent(office, record, code)
            self._nominal.append((office, cluster, {**record, "resolved_code": code}))
            if cluster is not None:
                cluster.mentions.append(office.start)

    def _referent(self, office: Span, record: dict[str, Any], code: str | None) -> Cluster | None:
        titles = set(record.get("matches") or [record["title"]])
        fits = [
            c
            for c in self.clusters
            if any(
                h.record.get("title") in titles and (code is None or h.code == code)
                for h in c.offices
            )
        ]
        if not fits and code and record.get("generic"):
            fits = [c for c in self.clusters if c.code == code]
        if not fits:
            return None
        pos = office.start
        earlier = [c for c in fits if min(c.mentions) < pos]
        if code or not earlier:
            pool = earlier or fits
            return max(
                pool,
                key=lambda c: max([m for m in c.mentions if m < pos] or [-m for m in c.mentions]),
            )
        return max(
            earlier,
            key=lambda c: (sum(m < pos for m in c.mentions), max(m for m in c.mentions if m < pos)),
        )

    def _learn(self) -> None:
        nominal_aliases: dict[int, list[str]] = {}
        for office, cluster, _ in self._nominal:
            if cluster is not None:
                nominal_aliases.setdefault(id(cluster), []).append(office.text)
        for cluster in self.clusters:
            offices = {
                (h.record["title"], h.code)
                for h in cluster.offices
                if h.record.get("title")
                and not h.record.get("honorific")
                and h.span.start < h.span.end
            }
            words = [
                w
                for w in cluster.name.replace("-", " ").split()
                if w.casefold() in name_tokens(cluster.name)
            ]
            if not (cluster.code or offices or len(words) > 1):
                continue
            titled = [
                f"{h.span.text} {words[-1]}"
                for h in cluster.offices
                if words and h.span.end in cluster.mentions
            ]
            person = self.registry.learn(
                cluster.name,
                code=None if cluster.guessed else cluster.code,  # a guess is not taught
                sector=cluster.sector,
                offices=sorted(offices, key=str),
                aliases=[*words, *titled, *nominal_aliases.get(id(cluster), [])],
                date=self.date,
                mentions=len(cluster.mentions),
                key=cluster.key,
            )
            cluster.key, cluster.name = person.key, person.name

    def _mention(self, span: Span, **fields: Any) -> None:
        self.mentions.append(
            ActorMention(start=span.start_char, end=span.end_char, text=span.text, **fields)
        )

    def _emit_people(self) -> None:
        for ent, cluster, held in self._pending:
            main = self._main(held)
            if main is None or main.record.get("generic"):
                main = self._main(cluster.offices) or main
            code = (main.code if main and main.code else None) or cluster.code
            sector = (self._sector(main) if main else None) or cluster.sector
            self._mention(
                ent,
                name=cluster.name,
                kind="person",
                code=code,
                sector=sector,
                key=cluster.key or f"person:{cluster.name.casefold()}",
                office=main.record["title"] if main else None,
            )
        for office, cluster, record in self._nominal:
            code = record["resolved_code"]
            if cluster is not None:
                self._mention(
                    office,
                    name=cluster.name,
                    kind="person",
                    code=code or cluster.code,
                    sector=cluster.sector or record["sector"],
                    key=cluster.key or f"person:{cluster.name.casefold()}",
                    office=record["title"],
                )
                continue
            titles = record.get("matches") or [record["title"]]
            code = code or (self._home_code() if record.get("head") else None)
            known = self.registry.holder(titles, code, self.date) if code else None
            if known is not None:
                held = known.office_at(self.date, code)
                self._mention(
                    office,
                    name=known.name,
                    kind="person",
                    code=code,
                    sector=known.sector or record["sector"],
                    key=known.key,
                    office=held.title if held else record["title"],
                )
            elif code:
                name = self.gaz.states[code]["name"] if code in self.gaz.states else code
                self._mention(
                    office,
                    name=name,
                    kind="other",
                    code=code,
                    sector=record["sector"],
                    key=f"office:{code}:{record['title'].casefold()}",
                    office=record["title"],
                )

    def _emit_others(self) -> None:
        """States, metonyms and organisations not absorbed into a person's title."""
        doc, persons = self.doc, {ent.start for ent, _, _ in self._pending}
        for ent in doc.ents:
            if ent.start in self.absorbed or ent.start in persons or ent.label_ == "PERSON":
                continue
            found = _entity(ent)
            if found is None:
                if ent.label_ == "ORG" and not ent.ent_id_:
                    self._mention(
                        ent,
                        name=ent.text,
                        kind="organization",
                        code=None,
                        sector=None,
                        key=f"org:{ent.text.casefold()}",
                    )
                continue
            kind, code, sector = found
            before = doc[ent.start - 1].lower_ if ent.start else ""
            if kind == "place" or (kind == "capital" and before in LOCATIVE):
                continue
            if kind == "org":
                org = (
                    self.gaz.orgs[self.gaz.entity_id(ent.text).split(":", 1)[1]]
                    if not ent.ent_id_
                    else self.gaz.orgs[ent.ent_id_.split(":", 1)[1]]
                )
                self._mention(
                    ent,
                    name=org["name"],
                    kind="organization",
                    code=code,
                    sector=sector,
                    key=f"org:{org['name']}",
                )
                continue
            group, end = self._group(ent)
            sector = group or sector or "GOV"
            span = doc[ent.start : end]
            self._mention(
                span,
                name=self.gaz.states[code]["name"],
                kind="state" if sector in STATE_SECTORS else "other",
                code=code,
                sector=sector,
                key=f"state:{code}" + ("" if sector == "GOV" else f":{sector}"),
            )

    def _group(self, ent: Span) -> tuple[str | None, int]:
        """ "Kazakh troops" -> MIL: the collective noun after a state name, if any."""
        doc, groups = self.doc, self.gaz.groups
        j = ent.end
        while j < len(doc) and j - ent.end < 3:
            tok = doc[j]
            pair = f"{tok.lower_} {doc[j + 1].lower_}" if j + 1 < len(doc) else ""
            if pair in groups:
                return groups[pair], j + 2
            if tok.lower_ in groups:
                return groups[tok.lower_], j + 1
            if j in self.ent_at or j in self.office_at:
                break
            if tok.text not in {"'s", "\u2019s"} and (
                tok.is_punct or tok.pos_ not in {"ADJ", "NOUN", "PROPN"}
            ):
                break
            j += 1
        return None, ent.end


def resolve_actors(doc: Doc, article: Article, registry: ActorRegistry) -> list[ActorMention]:
    """Every actor mention in an analysed article, resolved; the registry learns the people.

    ``doc`` is ``load_nlp()(article.text)``, so character offsets are offsets in the text.
    """
    return _Resolver(doc, article, registry).run()
