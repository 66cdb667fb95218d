"""Entity mentions: table actors over spaCy's labels, militias and weapons that the small model takes for people."""

from __future__ import annotations

from typing import Any

from newsmill.enrichment.models import Enrichment
from newsmill.models import Article


def enrich(stage: Any, text: str, published: str | None = "2021-05-04") -> Enrichment:
    return stage.process_batch([Article(id="t", body=[text], published=published)])[0]


def by_text(result: Enrichment) -> dict[str, Any]:
    return {e.text: e for e in result.entities}


def test_militias_are_organisations_with_their_own_country(enrich_stage: Any) -> None:
    result = enrich(enrich_stage, "Kataib Hezbollah fired rockets at a base near Baghdad. Asaib Ahl al-Haq denied involvement.")
    entities = by_text(result)
    kataib = entities["Kataib Hezbollah"]
    assert kataib.label == "ORG" and kataib.actor_code == "IRQMIL"  # the Iraqi militia, not Lebanon's Hezbollah
    assert entities["Asaib Ahl al-Haq"].label == "ORG"


def test_unknown_armed_group_is_not_a_person(enrich_stage: Any) -> None:
    result = enrich(enrich_stage, "Fighters of the Saraya Tal Nour brigades shelled the village on Monday.")
    assert all(e.label != "PERSON" for e in result.entities if "Saraya" in e.text)


def test_weapons_are_products_not_people(enrich_stage: Any) -> None:
    result = enrich(enrich_stage, "The army moved a Patriot air defense battery to the base. Kalashnikov rifles were seized.")
    patriot = next(e for e in result.entities if e.text.startswith("Patriot"))
    assert patriot.label == "PRODUCT" and patriot.actor_code is None
    assert not any(e.label == "PERSON" for e in result.entities)


def test_person_after_an_organisations_possessive_joins_it(enrich_stage: Any) -> None:
    result = enrich(enrich_stage, "The talks were led by Hamas's Omar Tal-Haddad and a mediator from Qatar.")
    person = by_text(result)["Omar Tal-Haddad"]
    assert person.label == "PERSON" and person.actor_code == "PSEREB"
    assert person.canonical == "Omar Tal-Haddad"


def test_offsets_point_into_the_enrichment_text(enrich_stage: Any) -> None:
    article = Article(id="t", title="Iran warns Washington", body=["The IRGC held drills near Bandar Abbas."])
    result = enrich_stage.process_batch([article])[0]
    text = article.text(title=True, dek=True, captions=True)
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text


def test_a_person_named_like_a_town_is_not_the_town(enrich_stage: Any) -> None:
    result = enrich_stage.process_batch(
        [Article(id="t", body=["Jackson told reporters he would appeal the ruling."], published="2021-05-04")]
    )[0]
    jackson = next(e for e in result.entities if e.text == "Jackson")
    assert jackson.label == "PERSON" and jackson.actor_code is None  # not the city's civilians (USACVL)
