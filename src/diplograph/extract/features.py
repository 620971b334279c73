"""Features for the event coder's two classifiers, read off the dependency parse.

``trigger_features``: does this word name an event, and of which PLOVER type? The word, its
lemma and part of speech, what the lexicon says of it (``data/plover.json``), its syntactic
neighbourhood (object, prepositions, auxiliaries, negation, the verb it depends on), whether
it sits in reported speech, a question or a condition, and whether actors stand next to it.

``role_features``: is this candidate the event's actor, its recipient, or neither? The
dependency path from the trigger to the candidate, the prepositions on it, voice, order,
distance and the kind of candidate, each also crossed with the event type.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from diplograph.extract.arguments import Argument
from diplograph.extract.lexicon import Lexicon, Trigger

CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
_KEEP_CHILD_LEMMA = frozenset(
    {"dobj", "prt", "prep", "aux", "auxpass", "neg", "advmod", "acomp", "xcomp", "attr", "agent",
     "dative", "oprd", "mark", "compound", "amod"}
)  # fmt: skip
_QUOTES = '"“”«»'


def is_candidate(token: Token, covered: set[int]) -> bool:
    """Words that may name an event: verbs, nouns, a few adjectives; not inside a name."""
    if token.pos_ not in CANDIDATE_POS or token.i in covered:
        return False
    if token.pos_ == "PROPN" and token.ent_type_:
        return False
    return token.is_alpha and len(token.text) > 1


class SentenceContext:
    """What the features need to know of a sentence as a whole, computed once per sentence."""

    __slots__ = ("question", "quoted", "tone")

    def __init__(self, sentence: Span, tone: str = "none") -> None:
        self.tone = tone  # the article's: see ``article_tone``
        self.question = sentence.text.rstrip().endswith("?")
        inside, quoted = False, set()
        for token in sentence:
            if any(q in token.text for q in _QUOTES):
                inside = not inside if token.text.count('"') != 2 else inside
                continue
            if inside:
                quoted.add(token.i)
        self.quoted = quoted


def article_tone(doc: Doc, lex: Lexicon) -> str:
    """Whether an article reads as cooperation, conflict or both, by the quad classes of the
    lexicon's event words in it: "coop", "conflict", "mixed" or "none" (too few to say).
    The same word means different things in each ("held" talks, "held" prisoners)."""
    coop = conflict = 0
    for token in doc:
        lemma = token.lemma_.lower()
        entry = lex.verbs.get(lemma) if token.pos_ == "VERB" else lex.nouns.get(lemma)
        if entry is None:
            continue
        if lex.quad_class(entry.type) <= 2:
            coop += 1
        else:
            conflict += 1
    if coop + conflict < 3:
        return "none"
    share = conflict / (coop + conflict)
    return "coop" if share < 0.3 else "conflict" if share > 0.7 else "mixed"


def subject_of(predicate: Token, relative: bool = False) -> Token | None:
    """The grammatical subject of a verb, climbing through xcomp/conj/advcl chains; with
    ``relative``, a relative clause's subject is the noun it describes ("the minister who
    met ..." → "minister")."""
    token = predicate
    for _ in range(4):
        for child in token.children:
            if child.dep_ in _SUBJECTS:
                return child
        if token.dep_ in {"xcomp", "conj", "advcl", "pcomp", "acl"} and token.head is not token:
            token = token.head
            continue
        if relative and token.dep_ == "relcl":
            return token.head
        return None
    return None


_ARG_INNER = frozenset(
    {"compound", "appos", "flat", "nmod", "prep", "pobj", "amod", "poss", "conj", "cc"}
)


def arg_of(token: Token, mention_at: dict[int, Argument]) -> Argument | None:
    """The argument a phrase stands for: its head word's, else the nearest one inside the
    phrase ("Ambassador of Kazakhstan Najmedin Muhametali" → the ambassador's mention)."""
    found = mention_at.get(token.i)
    if found is not None:
        return found
    best, best_distance = None, 99
    stack = [c for c in token.children if c.dep_ in _ARG_INNER]
    while stack:
        child = stack.pop()
        arg = mention_at.get(child.i)
        if arg is not None:
            distance = abs(child.i - token.i) + (0 if arg.kind == "person" else 3)
            if distance < best_distance:
                best, best_distance = arg, distance
            continue
        stack += [c for c in child.children if c.dep_ in _ARG_INNER]
    return best


def lexical_role(token: Token, lex: Lexicon, rule: Trigger | None) -> str | None:
    """The argument mapping the lexicon gives the word (see ``role_features``)."""
    if rule is not None:
        return rule.role
    entry = next((e for _, e in _lexicon_entries(token, lex)), None)
    return entry.role if entry is not None else None


def _lexicon_entries(token: Token, lex: Lexicon) -> Iterable[tuple[str, Trigger]]:
    lemma = token.lemma_.lower()
    if token.pos_ in {"VERB", "AUX"}:
        if lemma in lex.verbs:
            yield "v", lex.verbs[lemma]
        for child in token.children:
            if child.dep_ in {"prt", "prep"}:
                found = lex.phrasal.get(f"{lemma} {child.lower_}")
                if found is not None:
                    yield "ph", found
    else:
        found = lex.nouns.get(lemma) or lex.nouns.get(token.lower_)
        if found is not None:
            yield "n", found
        if token.pos_ == "ADJ" and lemma in lex.readiness:
            yield "ready", Trigger("AGREE")
        if lemma in lex.verbs and token.pos_ == "NOUN":
            yield "vn", lex.verbs[lemma]


def trigger_features(
    token: Token,
    lex: Lexicon,
    mention_at: dict[int, Argument],
    rule: Trigger | None,
    ctx: SentenceContext,
) -> list[str]:
    """The features of one candidate word (strings; absent features are simply absent)."""
    lemma = token.lemma_.lower()
    pos, dep = token.pos_, token.dep_
    f = [f"l={lemma}", f"p={pos}", f"t={token.tag_}", f"d={dep}", f"pd={pos}_{dep}"]
    f.append(f"lp={lemma}_{pos}")
    lex_types = []
    tone = ctx.tone
    f += [f"tone={tone}", f"tone={tone}&l={lemma}"]
    for source, entry in _lexicon_entries(token, lex):
        lex_types.append(entry.type)
        f += [f"lex={entry.type}", f"lex{source}={entry.type}", f"lexm={entry.type}/{entry.mode}"]
        f.append(f"tone={tone}&lex={entry.type}")
    if rule is not None:
        f += [f"rule={rule.type}", f"rulem={rule.type}/{rule.mode}"]
        lex_types.append(rule.type)
    head = token.head
    if head is not token:
        f += [f"h={head.lemma_.lower()}", f"hd={dep}^{head.lemma_.lower()}", f"hp={head.pos_}"]
        for _, entry in _lexicon_entries(head, lex):
            f.append(f"hlex={dep}^{entry.type}")
        if head.lemma_ in lex.reporting:
            f.append("reported")
        if head.lemma_.lower() in lex.intent_verbs:
            f.append(f"intent^{dep}")
    # the chain of heads above: reported speech, intentions, conditions
    anc = list(token.ancestors)[:4]
    for a in anc:
        alemma = a.lemma_.lower()
        if alemma in lex.reporting:
            f.append("in_report")
        if alemma in lex.intent_verbs:
            f.append("under_intent")
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in a.children):
            f.append("under_if")
    aux_words = []
    obj_mention = False
    for child in token.children:
        cdep = child.dep_
        f.append(f"c={cdep}")
        if cdep in _KEEP_CHILD_LEMMA:
            f.append(f"c={cdep}:{child.lemma_.lower()}")
        if cdep in {"aux", "auxpass"}:
            aux_words.append(child.lower_)
        if cdep == "neg" or child.lower_ in {"never", "no"}:
            f.append("neg")
        if cdep == "mark" and child.lower_ in {"if", "unless", "whether"}:
            f.append("if")
        if cdep == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    arg = arg_of(pobj, mention_at)
                    what = f"A:{arg.kind}" if arg is not None else pobj.lemma_.lower()
                    f.append(f"pp={child.lower_}:{what}")
                    if arg is not None:
                        obj_mention = True
        if cdep in {"dobj", "dative", "attr"}:
            arg = arg_of(child, mention_at)
            if arg is not None:
                f.append(f"obj=A:{arg.kind}")
                obj_mention = True
            obj_lemma = child.lemma_.lower()
            noun = lex.nouns.get(obj_lemma)
            if noun is not None:
                f.append(f"objlex={noun.type}")
                if lemma in lex.light_verbs:
                    f.append(f"light={noun.type}")
        if cdep == "poss":
            arg = arg_of(child, mention_at)
            f.append(f"poss=A:{arg.kind}" if arg is not None else f"poss={child.lower_}")
        if cdep in {"compound", "amod"} and child.i in mention_at:
            f.append(f"mod=A:{mention_at[child.i].kind}")
    for word in aux_words:
        f.append(f"aux={word}")
        for t in lex_types[:2]:
            f.append(f"lex={t}&aux={word}")
    if "neg" in f:
        f += [f"lex={t}&neg" for t in lex_types[:2]]
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children) and head is not token:
        f.append(f"to^{head.lemma_.lower()}")
        for t in lex_types[:2]:
            f.append(f"lex={t}&to^{head.lemma_.lower()}")
    subject = subject_of(token) if pos in {"VERB", "AUX", "ADJ"} else None
    if subject is not None:
        arg = arg_of(subject, mention_at)
        f.append(f"subj=A:{arg.kind}" if arg is not None else f"subj={subject.lemma_.lower()}")
        if subject.dep_ == "nsubjpass":
            f.append("passive")
    elif pos in {"VERB", "AUX"}:
        f.append("subj=none")
    if obj_mention:
        f.append("has_obj_arg")
    doc = token.doc
    if token.i > 0:
        f.append(f"prev={doc[token.i - 1].lemma_.lower()}")
    if token.i + 1 < len(doc):
        f.append(f"next={doc[token.i + 1].lemma_.lower()}")
    if token.i in ctx.quoted:
        f.append("quoted")
    if ctx.question:
        f.append("question")
    if lemma in lex.reporting and pos == "VERB":
        f += _clause_features(token, lex)
    return f


def _clause_features(verb: Token, lex: Lexicon) -> list[str]:
    """What a reported statement says: its clause's words and the lexicon types inside it."""
    clause = next((c for c in verb.children if c.dep_ in {"ccomp", "xcomp"}), None)
    if clause is None:
        return ["say:noclause"]
    f = ["say:clause"]
    words = 0
    for t in clause.subtree:
        if t.pos_ not in _CONTENT_POS:
            if t.dep_ == "aux" and t.lower_ in lex.request_modals:
                f.append(f"say:modal={t.lower_}")
            continue
        lemma = t.lemma_.lower()
        if words < 20:
            f.append(f"say:w={lemma}")
            words += 1
        if lemma in lex.criticism or t.lower_ in lex.criticism:
            f.append("say:criticism")
        entry = lex.verbs.get(lemma) if t.pos_ == "VERB" else lex.nouns.get(lemma)
        if entry is not None:
            f.append(f"say:lex={entry.type}")
    return f


# -- roles --------------------------------------------------------------------------------


def _path(a: Token, b: Token, limit: int = 6) -> tuple[list[str], list[str]] | None:
    """Dependency path from ``a`` up to the common ancestor and down to ``b``."""
    up_chain = [a, *a.ancestors]
    position = {t.i: k for k, t in enumerate(up_chain)}
    down: list[Token] = []
    node = b
    while node.i not in position:
        down.append(node)
        if node.head is node or len(down) > limit:
            return None
        node = node.head
    up = up_chain[: position[node.i]]
    if len(up) + len(down) > limit:
        return None
    up_labels = [_label(t) for t in up]
    down_labels = [_label(t) for t in reversed(down)]
    return up_labels, down_labels


def in_other_clause(trigger: Token, arg: Argument) -> bool:
    """A candidate that belongs to a clause hanging below the trigger's ("a visit to Kazakhstan,
    the first since John Paul II came in 2001"): an adverbial or relative clause's parties are
    that clause's, not the trigger's."""
    path = _path(trigger, arg.attachment(trigger.doc), limit=10)
    return path is not None and any(label in {"advcl", "relcl", "acl"} for label in path[1])


def _label(token: Token) -> str:
    if token.dep_ in {"prep", "agent"}:
        return f"{token.dep_}:{token.lower_}"
    return token.dep_


class Frame:
    """The grammatical slots around a trigger, by token: subject, object, prepositional
    phrases, possessor, the agent of a passive, the speaker of a report."""

    __slots__ = ("passive", "predicate", "slots")

    def __init__(self, trigger: Token, lex: Lexicon | None = None) -> None:
        predicate = trigger
        if trigger.pos_ not in {"VERB", "AUX"} and trigger.head.pos_ in {"VERB", "AUX"}:
            predicate = trigger.head  # "launched an offensive": the verb's subject acts
        self.predicate = predicate
        self.passive = any(c.dep_ == "auxpass" for c in predicate.children)
        slots: dict[int, str] = {}

        def mark(token: Token, slot: str) -> None:
            for t in token.subtree:
                slots.setdefault(t.i, slot)

        for head in dict.fromkeys([trigger, predicate]):
            for child in head.children:
                dep = child.dep_
                if dep in {"nsubj", "csubj"}:
                    mark(child, "subj")
                elif dep == "nsubjpass":
                    mark(child, "subjpass")
                elif dep in {"dobj", "dative", "attr", "oprd"} and child is not trigger:
                    mark(child, "obj")
                elif dep == "agent":
                    mark(child, "agent")
                elif dep == "prep":
                    mark(child, f"prep:{child.lower_}")
                elif dep == "poss" and head is trigger:
                    mark(child, "poss")
                elif dep in {"compound", "amod", "nmod"} and head is trigger:
                    mark(child, "mod")
        if not any(v in {"subj", "subjpass"} for v in slots.values()):
            subject = subject_of(predicate)
            if subject is not None:
                mark(subject, "subj_up" if subject.dep_ != "nsubjpass" else "subjpass_up")
        if predicate.dep_ == "acl" and predicate.tag_ == "VBN":
            slots.setdefault(predicate.head.i, "acl_head")  # "a woman captured by Kurds"
        if lex is not None:
            for ancestor in list(predicate.ancestors)[:3]:
                if ancestor.lemma_ in lex.reporting:
                    speaker = subject_of(ancestor)
                    if speaker is not None:
                        for t in speaker.subtree:
                            slots.setdefault(t.i, "speaker")
                    break
        self.slots = slots


def role_features(
    trigger: Token,
    event_type: str,
    arg: Argument,
    sentence: Span,
    n_args: int,
    ctx: SentenceContext,
    lexical_role: str | None = None,
    frame: Frame | None = None,
    rank: str | None = None,
) -> list[str]:
    """``lexical_role`` is how the lexicon maps the trigger's arguments: "host" (the subject
    hosts: "received"), "mutual" (all parties act: "met") or None (subject acts on object);
    ``frame`` the trigger's grammatical slots; ``rank`` where the candidate stands among the
    sentence's candidates ("L1": nearest before the trigger, "R1": nearest after, ...)."""
    doc = trigger.doc
    head = arg.attachment(doc)
    kind = arg.kind
    role = lexical_role or "plain"
    f = [f"k={kind}", f"T={event_type}", f"T={event_type}&k={kind}", f"R={role}"]
    if frame is not None:
        slot = frame.slots.get(head.i) or frame.slots.get(arg.head(doc).i) or "none"
        voice = "pass" if frame.passive else "act"
        f += [
            f"slot={slot}",
            f"slot={slot}&T={event_type}",
            f"slot={slot}&R={role}&v={voice}",
            f"slot={slot}&k={kind}",
        ]
    if rank is not None:
        f += [f"rank={rank}", f"rank={rank}&T={event_type}"]
    if arg.participant.sector:
        f.append(f"sec={arg.participant.sector}")
    if head.i == trigger.i or arg.start <= trigger.i < arg.end:
        f += ["self", f"T={event_type}&self"]
        return f
    path = _path(trigger, head)
    if path is None:
        f += ["nopath", f"T={event_type}&nopath"]
    else:
        up, down = path
        full = "^".join(up) + "|" + "_".join(down)
        f += [f"path={full}", f"T={event_type}&path={full}", f"plen={len(up) + len(down)}"]
        f.append(f"up={'^'.join(up)}")
        f.append(f"down={'_'.join(down)}")
        if down:
            f += [f"last={down[-1]}", f"T={event_type}&last={down[-1]}"]
            f.append(f"first={down[0]}")
            f.append(f"T={event_type}&first={down[0]}&up={len(up)}")
            f.append(f"R={role}&first={down[0]}&up={len(up)}")
        if up:
            f.append(f"up1={up[0]}")
        crossing = [x for x in up + down if x in {"ccomp", "relcl", "advcl", "parataxis"}]
        if crossing:
            f.append(f"cross={crossing[0]}")
        lemma = trigger.lemma_.lower()
        f.append(f"L={lemma}&path={full}")
    before = head.i < trigger.i
    f += [f"before={before}", f"T={event_type}&before={before}&k={kind}"]
    distance = abs(head.i - trigger.i)
    bucket = (
        "1"
        if distance <= 1
        else "3"
        if distance <= 3
        else "6"
        if distance <= 6
        else "12"
        if distance <= 12
        else "far"
    )
    f.append(f"dist={bucket}")
    f.append(f"nargs={min(n_args, 5)}")
    if (head.i in ctx.quoted) != (trigger.i in ctx.quoted):
        f.append("quote_boundary")
    if head.dep_ == "nsubjpass":
        f.append("subjpass")
    if any(c.dep_ == "auxpass" for c in trigger.children):
        f.append("trigger_passive")
        f.append(f"trigger_passive&before={before}")
    prev = doc[arg.start - 1] if arg.start > sentence.start else None
    if prev is not None and prev.dep_ == "prep":
        f.append(f"prevprep={prev.lower_}")
    return f


def candidate_ranks(trigger: Token, args: list[Argument]) -> list[str]:
    """Each candidate's place relative to the trigger: "L1" the nearest before it, "L2" the
    next, "R1" the nearest after, ... (the same entity counts once)."""
    doc = trigger.doc
    where = [a.attachment(doc).i for a in args]
    left = sorted({w for w in where if w < trigger.i}, reverse=True)
    right = sorted({w for w in where if w > trigger.i})
    out = []
    for w in where:
        if w < trigger.i:
            out.append(f"L{min(left.index(w) + 1, 3)}")
        elif w > trigger.i:
            out.append(f"R{min(right.index(w) + 1, 3)}")
        else:
            out.append("self")
    return out
