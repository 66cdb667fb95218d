"""Places: gazetteer coordinates and countries, and capitals used for their governments (metonymy)."""

from __future__ import annotations

from typing import Any

from newsmill.models import Article


def places(stage: Any, text: str) -> list[Any]:
    return stage.process_batch([Article(id="p", body=[text], published="2021-05-04")])[0].places


def test_capital_as_speaker_is_a_metonym(enrich_stage: Any) -> None:
    found = places(enrich_stage, "Washington said it would send more troops to the region.")
    washington = next(p for p in found if p.text == "Washington")
    assert washington.metonym
    assert washington.country == "USA"


def test_capital_as_scene_is_a_place(enrich_stage: Any) -> None:
    found = places(enrich_stage, "Protesters gathered in Mosul and marched through the old city on Friday.")
    mosul = next(p for p in found if p.text == "Mosul")
    assert not mosul.metonym and mosul.country == "IRQ"
    assert abs(mosul.lat - 36.3) < 0.5 and abs(mosul.lon - 43.1) < 0.5


def test_capital_subject_is_the_government_actor(enrich_stage: Any) -> None:
    result = enrich_stage.process_batch(
        [Article(id="p", body=["Washington slapped sanctions on Tehran after the drone attack."], published="2021-05-04")]
    )[0]
    sanction = next(e for e in result.events if e.plover == "SANCTION")
    assert (sanction.actor_code, sanction.target_code) == ("USAGOV", "IRNGOV")
    assert sanction.place is None  # neither capital is where it happened


def test_state_name_is_not_the_island_inside_it(enrich_stage: Any) -> None:
    found = places(enrich_stage, "Flooding closed roads across New Jersey on Sunday.")
    jersey = next(p for p in found if "Jersey" in p.text)
    assert jersey.text == "New Jersey" and jersey.country == "USA"


def test_place_inside_an_organisation_name(enrich_stage: Any) -> None:
    found = places(enrich_stage, "The Cairo Chamber of Tanners said exports fell by half.")
    cairo = next(p for p in found if p.text == "Cairo")
    assert cairo.country == "EGY" and cairo.metonym


def test_unknown_local_place_is_approximated_and_marked(enrich_stage: Any) -> None:
    found = places(enrich_stage, "Fire crews from Mosul reached the town of Wadi Hamar before dawn.")
    unknown = next(p for p in found if p.text == "Wadi Hamar")
    assert unknown.feature == "approximate" and unknown.name is None
    assert unknown.country == "IRQ" and abs(unknown.lat - 36.3) < 0.5


def test_actor_place_is_a_city_or_region_never_a_country_or_sea(enrich_stage: Any) -> None:
    gazetteer = enrich_stage.gazetteer
    mombasa = gazetteer.actor_place("Mombasa")
    assert mombasa is not None and (mombasa.country, mombasa.capital) == ("KEN", False)
    nairobi = gazetteer.actor_place("Nairobi")
    assert nairobi is not None and nairobi.capital
    assert gazetteer.actor_place("Kenya") is None  # countries are the actor table's
    assert gazetteer.actor_place("Indian Ocean") is None  # no one's people
    assert gazetteer.actor_place("Zorvath Marrowind") is None


def test_stage_binds_its_gazetteer_to_the_actor_table(enrich_stage: Any) -> None:
    table = enrich_stage.table
    assert table.place_lookup is not None and table.place_country is not None
    town = table.resolve_phrase("Mombasa")
    assert town is not None and (town.code, town.method) == ("KENCVL", "place")


def test_town_as_event_target_is_its_civilians_but_a_person_so_named_is_not(enrich_stage: Any) -> None:
    def events(text: str) -> list[Any]:
        return enrich_stage.process_batch([Article(id="p", body=[text], published="2021-05-04")])[0].events

    shelling = next(e for e in events("Russian forces shelled Mariupol on Tuesday.") if e.plover == "ASSAULT")
    assert shelling.target_code == "UKRCVL"
    accusation = next(e for e in events("Jackson accused the police of abuse.") if e.plover == "ACCUSE")
    assert accusation.actor == "Jackson" and accusation.actor_code is None
