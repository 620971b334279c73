"""What an analyst types resolves to the right actor: codes, names, demonyms, people."""

from __future__ import annotations

import pytest

from diplograph.kb.resolve import UnknownActor, resolve_party


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("KAZ", "KAZ", "state"),
        ("kaz", "KAZ", "state"),
        ("China", "CHN", "state"),
        ("Chinese", "CHN", "state"),
        ("the Holy See", "VAT", "state"),
        ("Nur-Sultan", "KAZ", "state"),
        ("NATO", "NATO", "organization"),
        ("United Nations", "UN", "organization"),
        ("osce", "OSCE", "organization"),
    ],
)
def test_codes_names_and_demonyms_resolve_to_whole_actors(kb_store, text, code, kind) -> None:
    party = resolve_party(kb_store, text)
    assert (party.code, party.kind, party.is_code) == (code, kind, True)


def test_a_un_body_keeps_its_own_name_under_the_un_code(kb_store) -> None:
    party = resolve_party(kb_store, "UNAMA")
    assert party.code == "UN"
    assert party.actor_ids and "Afghanistan" in party.name


@pytest.mark.parametrize("text", ["Wang Yi", "wang yi", "Tokayev"])
def test_people_resolve_through_names_and_learned_aliases(kb_store, text) -> None:
    party = resolve_party(kb_store, text)
    assert party.kind == "person"
    assert not party.is_code
    assert all(key.startswith("person:") for key in party.actor_ids)


def test_an_unknown_name_fails_with_suggestions(kb_store) -> None:
    with pytest.raises(UnknownActor) as caught:
        resolve_party(kb_store, "Tokaev")
    assert "Kassym-Jomart Tokayev" in caught.value.suggestions
    assert "did you mean" in str(caught.value)


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_name_is_refused(kb_store, text) -> None:
    with pytest.raises(UnknownActor):
        resolve_party(kb_store, text)
