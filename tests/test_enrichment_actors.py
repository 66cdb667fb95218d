"""The actor table: aliases and acronyms, dated offices, and user files that extend it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsmill.enrichment.actors import ActorRow, ActorTable, normalize


@pytest.fixture(scope="module")
def table() -> ActorTable:
    return ActorTable.load()


def _table_with(tmp_path: Path, *rows: str) -> ActorTable:
    """The packaged table plus a user file of these rows (fictional people of our own)."""
    user = tmp_path / "people.txt"
    user.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return ActorTable.load([user])


@pytest.mark.parametrize(
    "name", ["IRGC", "Islamic Revolutionary Guard Corps", "Revolutionary Guards", "Iran's Revolutionary Guards"]
)
def test_guard_corps_aliases_share_one_actor(table: ActorTable, name: str) -> None:
    match = table.resolve_phrase(name)
    assert match is not None
    assert (match.code, match.name) == ("IRNMIL", "Islamic Revolutionary Guard Corps")


def test_context_only_alias_needs_the_actor_named_first(table: ActorTable) -> None:
    alone = table.find_aliases("The Guards patrolled the strait.", named=set())
    assert not any(rows[0].code == "IRNMIL" for *_, rows in alone)
    text = "The IRGC said it seized a tanker. The Guards patrolled the strait."
    found = [(surface, rows[0].code) for _, _, surface, rows in table.find_aliases(text, named=set())]
    assert ("Guards", "IRNMIL") in found


def test_acronyms_match_with_their_case_only(table: ActorTable) -> None:
    assert [s for _, _, s, _ in table.find_aliases("The US and the UN met.")] == ["US", "UN"]
    assert table.find_aliases("Let us meet with who we can.") == []


def test_title_resolves_by_the_article_date(table: ActorTable) -> None:
    in_2018 = table.resolve_phrase("President Trump", date="2018-06-01")
    in_2022 = table.resolve_phrase("Donald Trump", date="2022-06-01")
    assert in_2018 is not None and in_2018.code == "USAGOV"
    assert in_2022 is not None and in_2022.code == "USAELI"
    holder = table.resolve_phrase("the Italian prime minister", date="2019-03-01")
    assert holder is not None and holder.name == "Giuseppe Conte"
    later = table.resolve_phrase("the Italian prime minister", date="2023-03-01")
    assert later is not None and later.name == "Giorgia Meloni"


def test_generic_nouns_take_country_and_sector(table: ActorTable) -> None:
    soldiers = table.resolve_phrase("Iraqi soldiers")
    police = table.resolve_phrase("Kyiv police")
    assert soldiers is not None and soldiers.code == "IRQMIL"
    assert police is not None and police.code == "UKRCOP"


def test_user_file_in_our_format_extends_the_table(tmp_path: Path) -> None:
    user = tmp_path / "my_actors.txt"
    user.write_text(
        "# actors our newsroom covers\n"
        "ZZZREB | Northern Ridge Front | ORG | ZZZ | REB | | | | NRF;Ridge Front\n"
        "FRAGOV | Odile Marchand | PERSON | FRA | GOV | | 2030-01-01.. | interior minister | Odile Marchand;Marchand\n",
        encoding="utf-8",
    )
    table = ActorTable.load([user])
    front = table.resolve_phrase("the Ridge Front")
    assert front is not None and (front.code, front.name) == ("ZZZREB", "Northern Ridge Front")
    acronym = table.resolve_phrase("NRF")
    assert acronym is not None and acronym.code == "ZZZREB"
    assert table.resolve_phrase("Marchand", date="2031-02-01").code == "FRAGOV"  # type: ignore[union-attr]
    assert ActorTable.load().resolve_phrase("Ridge Front") is None  # the packaged table is untouched


def test_an_office_held_that_day_outranks_former_official(tmp_path: Path) -> None:
    table = _table_with(  # a former prime minister who later led an international body (rows in any order)
        tmp_path,
        "ZZZGOV | Ilse Varnholt | PERSON | ZZZ | GOV | | 2030-01-01..2034-06-01 | prime minister | Ilse Varnholt;Varnholt",
        "IGOUNO | Ilse Varnholt | PERSON | UNO | IGO | | 2036-01-01..2041-01-01 | secretary-general | Ilse Varnholt;Varnholt",
        "ZZZELI | Ilse Varnholt | PERSON | ZZZ | ELI | | 2034-06-01.. |  | Ilse Varnholt;Varnholt",
    )
    codes = {day: table.resolve_phrase("Varnholt", date=day).code for day in ("2031-01-01", "2035-01-01", "2037-01-01", "2042-01-01")}  # type: ignore[union-attr]
    assert codes == {"2031-01-01": "ZZZGOV", "2035-01-01": "ZZZELI", "2037-01-01": "IGOUNO", "2042-01-01": "ZZZELI"}


def test_a_persons_name_inside_a_longer_name_is_not_that_person(tmp_path: Path) -> None:
    table = _table_with(
        tmp_path,
        "ZZZGOV | Ilse Varnholt | PERSON | ZZZ | GOV | | 2030-01-01.. | prime minister | Ilse Varnholt;Prime Minister Varnholt;Varnholt",
    )

    def code(phrase: str) -> str | None:
        match = table.resolve_phrase(phrase, date="2031-01-01")
        return match.code if match else None

    assert code("Varnholt") == code("Mrs Varnholt") == code("Prime Minister Varnholt") == "ZZZGOV"
    assert code("Varnholt Tuesday") == code("Danish Varnholt") == "ZZZGOV"
    assert code("Ilse Varnholt Brandt") != "ZZZGOV"  # another person with a longer name
    assert code("Tell Varnholt") is None  # a place named after her
    assert code("varnholt") is None  # written without a capital it is a word, not her name
    # Capitalised only because a sentence starts there: the name is still hers.
    for sentence in ("But Varnholt said so.", "When Varnholt arrived, talks began.", "Yesterday Varnholt spoke."):
        assert [surface for _, _, surface, _ in table.find_aliases(sentence)] == ["Varnholt"], sentence


def test_an_office_is_its_holder_only_when_the_phrase_names_that_state_office(tmp_path: Path) -> None:
    table = _table_with(
        tmp_path,
        "ZZZGOV | Ilse Varnholt | PERSON | ZZZ | GOV | | 2030-01-01.. | president;head of state | Ilse Varnholt",
    )

    def resolved(phrase: str) -> tuple[str | None, str | None]:
        match = table.resolve_phrase(phrase, date="2031-01-01", context_country="ZZZ")
        return (match.code, match.name) if match else (None, None)

    assert resolved("the president") == ("ZZZGOV", "Ilse Varnholt")
    assert resolved("the vice president")[1] is None  # a longer title, not the president's
    assert resolved("a president")[1] is None  # one of several, not the holder
    assert resolved("the president of the rowing club") == ("GOV", None)  # an office of some other body


def test_namesakes_in_office_at_once_resolve_by_the_storys_country(tmp_path: Path) -> None:
    table = _table_with(
        tmp_path,
        "ZZZGOV | Ilse Varnholt | PERSON | ZZZ | GOV | | 2030-01-01..2032-01-01 | prime minister | Ilse Varnholt;Varnholt",
        "ZZZELI | Ilse Varnholt | PERSON | ZZZ | ELI | | 2032-01-01.. |  | Ilse Varnholt;Varnholt",
        "YYYGOV | Bo Varnholt | PERSON | YYY | GOV | | 2031-01-01.. | governor of north fell | Bo Varnholt;Varnholt",
    )

    def code(context: str | None) -> str | None:
        match = table.resolve_phrase("Varnholt", date="2033-01-01", context_country=context)
        return match.code if match else None

    assert code("ZZZ") == "ZZZELI"  # the former prime minister of the story's country
    assert code("YYY") == code(None) == "YYYGOV"  # elsewhere, the one in office


def test_user_file_in_petrarch_format(tmp_path: Path) -> None:
    actors = tmp_path / "actors.dict"
    actors.write_text(
        "<!-- fictional realm -->\nERIDOR_ [ERD]\n+ERIDORIAN_\nTHANE_VORSK_ [ERDGOV 950101-991231]\n[ERDELI >000101]\n"
        "MARROWIND [MRW]  # prefix entry: Marrowind, Marrowindish\n",
        encoding="utf-8",
    )
    agents = tmp_path / "agents.dict"
    agents.write_text("!PERSON! = MAN, MEN\nHARBOR!PERSON! [~CVL]\nWARDEN_ [~COP]\n", encoding="utf-8")
    table = ActorTable.load([actors, agents])
    assert table.resolve_phrase("Eridorian wardens").code == "ERDCOP"  # type: ignore[union-attr]
    assert table.resolve_phrase("harbormen of Eridor").code == "ERDCVL"  # type: ignore[union-attr]
    assert table.resolve_phrase("Thane Vorsk", date="1997-05-05").code == "ERDGOV"  # type: ignore[union-attr]
    assert table.resolve_phrase("Thane Vorsk", date="2005-05-05").code == "ERDELI"  # type: ignore[union-attr]
    assert table.resolve_phrase("the Marrowindish fleet").code == "MRWMIL"  # type: ignore[union-attr]


def test_common_words_are_not_capitals(table: ActorTable) -> None:
    # Anguilla's capital is "The Valley": without its article it would turn every valley into a government.
    assert table.resolve_phrase("the valley road") is None


def test_bad_user_files_raise_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read actor file"):
        ActorTable.load([tmp_path / "missing.txt"])
    broken = tmp_path / "broken.txt"
    broken.write_text("ZZZ | Only | three | fields | here | x | y | z | a\nZZZ | short row\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.txt:2: expected 9 fields"):
        ActorTable.load([broken])


def test_former_officials_are_elites(table: ActorTable) -> None:
    match = table.resolve_phrase("a former Kenyan minister")
    assert match is not None and match.code == "KENELI"


def test_a_person_named_before_taking_office_keeps_the_country_but_not_the_office(table: ActorTable) -> None:
    before = table.resolve_phrase("Volodymyr Zelensky", date="2018-06-01")
    assert before is not None and before.country == "UKR" and before.sector in ("", None)
    during = table.resolve_phrase("Volodymyr Zelensky", date="2022-06-01")
    assert during is not None and during.code == "UKRGOV"


def test_quantity_heads_give_way_to_the_noun_after_of(table: ActorTable) -> None:
    match = table.resolve_phrase("dozens of Chilean protesters")
    assert match is not None and match.code == "CHLCVL"


def test_city_in_a_phrase_gives_the_country_when_the_gazetteer_is_bound(enrich_stage: Any) -> None:
    match = enrich_stage.table.resolve_phrase("Shanghai police")
    assert match is not None and match.code == "CHNCOP"
    assert ActorTable.load().resolve_phrase("Shanghai police").country is None  # type: ignore[union-attr]


# --- resolution rules: places, kinds of actors, heads ------------------------------------------------


@pytest.fixture(scope="module")
def placed_table() -> ActorTable:
    from newsmill.enrichment.places import Gazetteer

    bound = ActorTable.load()
    Gazetteer().bind(bound)
    return bound


def _parts(match: Any) -> tuple[str | None, str | None]:
    return (match.country, match.sector) if match is not None else (None, None)


def test_breakaway_regions_are_pre_under_the_country_that_claims_them(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("Transnistria")) == ("MDA", "PRE")
    assert _parts(table.resolve_phrase("the self-proclaimed republic")) == (None, "PRE")
    # Its officials are that country's government sector, as for any place named before an agent noun.
    assert _parts(table.resolve_phrase("Transnistrian officials")) == ("MDA", "GOV")


def test_pronouns_and_bare_counts_are_unidentified(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("She")) == (None, "UNK")
    assert _parts(table.resolve_phrase("three men")) == (None, "UNK")
    assert _parts(table.resolve_phrase("five Kenyan men")) == ("KEN", "UNK")
    assert _parts(table.resolve_phrase("US")) == ("USA", None)  # the country, not the pronoun
    # UNK is weaker than any other kind in the phrase.
    assert _parts(table.resolve_phrase("a militant group")) == (None, "REB")
    assert _parts(table.resolve_phrase("a group of farmers")) == (None, "AGR")


def test_words_inside_a_name_are_not_a_kind_of_actor(table: ActorTable) -> None:
    territories = table.resolve_phrase("the Palestinian territories")
    assert territories is not None and territories.code == "PSE"


def test_former_holders_of_a_post_in_a_named_body_are_eli(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("a former FBI official")) == ("USA", "ELI")
    obama = table.resolve_phrase("former President Obama", date="2016-01-01")
    assert obama is not None and (obama.code, obama.name) == ("USAELI", "Barack Obama")


def test_post_named_by_what_it_heads(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("Director of the intelligence service")) == (None, "SPY")
    assert _parts(table.resolve_phrase("the legislative body of Kenya")) == ("KEN", "LEG")


def test_unknown_name_takes_its_apposition(table: ActorTable) -> None:
    found = table.resolve_phrase("Lena Vasquez, Chile's deputy interior minister")
    assert _parts(found) == ("CHL", "GOV")
    assert found is not None and found.method == "apposition"
    assert _parts(table.resolve_phrase("Sami Haddad, 34, a schoolteacher")) == (None, "EDU")


def test_based_names_the_actors_country_but_backed_does_not(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("a Kenya-based aid group")) == ("KEN", "NGO")
    backed = table.resolve_phrase("a Kenyan-backed militia")
    assert backed is not None and backed.sector == "PRM" and backed.country != "KEN"


def test_agents_of_an_organisation_of_states_take_its_code(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("NATO troops")) == ("IGO", "MIL")
    assert _parts(table.resolve_phrase("European Union officials")) == ("EUR", "GOV")
    assert _parts(table.resolve_phrase("ECOWAS")) == ("IGO", "IGO")


def test_protesters_against_something_are_opposition(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("anti-government demonstrators")) == (None, "OPP")
    assert _parts(table.resolve_phrase("antiwar activists")) == (None, "OPP")
    assert _parts(table.resolve_phrase("demonstrators")) == (None, "CVL")


def test_agent_nouns_match_across_hyphens_and_up_to_three_words(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("local self defense forces")) == (None, "PRM")
    assert _parts(table.resolve_phrase("a self-defense force")) == (None, "PRM")


def test_bare_senate_is_not_the_us_congress(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("the Senate")) == (None, "LEG")
    assert _parts(table.resolve_phrase("a Senate hopeful")) == (None, "PTY")
    assert _parts(table.resolve_phrase("the US Senate")) == ("USA", "LEG")


def test_titles_before_unknown_names_give_the_sector(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("Lt. Gen. Ilse Marrow")) == (None, "MIL")
    assert _parts(table.resolve_phrase("Sen. Dora Halvorsen")) == (None, "LEG")


def test_town_alone_is_its_civilians_and_capital_its_government(placed_table: ActorTable) -> None:
    town = placed_table.resolve_phrase("Sao Paulo")
    assert _parts(town) == ("BRA", "CVL") and town is not None and town.wikipedia == "São Paulo"
    capital = placed_table.resolve_phrase("Bogota")
    assert _parts(capital) == ("COL", "GOV") and capital is not None and capital.wikipedia == "Bogotá"
    assert placed_table.resolve_phrase("Marta Quintero") is None  # a person's name is not a place
    assert placed_table.resolve_phrase("reading") is None  # common nouns are not towns


def test_town_inside_a_longer_name_gives_the_country(placed_table: ActorTable) -> None:
    assert _parts(placed_table.resolve_phrase("Lagos State government")) == ("NGA", "GOV")
    assert _parts(placed_table.resolve_phrase("the Cali Self Defense Forces")) == ("COL", "PRM")
    assert _parts(placed_table.resolve_phrase("The pro-government groups")) == (None, "UNK")


def test_romanisation_variants_of_names_share_one_alias(table: ActorTable) -> None:
    for spelling in ("Volodymyr Zelenskiy", "Zelenskyy", "Volodymyr Zelensky"):
        found = table.resolve_phrase(spelling, date="2023-01-01")
        assert found is not None and found.code == "UKRGOV", spelling
    lavrov = table.resolve_phrase("Sergey Lavrov", date="2023-01-01")
    assert lavrov is not None and lavrov.name == "Sergei Lavrov"
    assert table.resolve_phrase("Muhammad bin Salman") is not None


def test_office_without_known_holder_is_the_context_countrys(table: ActorTable) -> None:
    minister = table.resolve_phrase("the Interior Minister", context_country="NOR", date="2020-01-01")
    assert minister is not None and (minister.code, minister.method) == ("NORGOV", "office+context")
    # An office whose holder the table lists is that person.
    known = table.resolve_phrase("the Foreign Minister", context_country="NOR", date="2020-01-01")
    assert known is not None and (known.code, known.type, known.method) == ("NORGOV", "PERSON", "office")
    # Generic government words are not offices: their country stays unknown.
    assert _parts(table.resolve_phrase("officials", context_country="NOR")) == (None, "GOV")


def test_hostile_phrases_resolve_quickly_without_errors(table: ActorTable) -> None:
    import time

    started = time.perf_counter()
    assert table.resolve_phrase(", ".join(["Zorvath"] * 3000)) is None  # a list, not nested appositions
    long_run = table.resolve_phrase(" ".join(["Northwood"] * 3000) + "-based police")
    assert long_run is not None and long_run.sector == "COP"
    assert table.resolve_phrase("<div>&nbsp;</div> ### :::" * 200) is None
    assert table.resolve_phrase("   ") is None
    assert time.perf_counter() - started < 5.0  # linear work: a few hundredths of a second each here


def test_place_at_the_start_of_a_name_only_before_generic_words(placed_table: ActorTable) -> None:
    assert _parts(placed_table.resolve_phrase("Texas National Guard")) == ("USA", "MIL")
    # A first name that is also a city is not where a person is from.
    assert _parts(placed_table.resolve_phrase("Rep. Jackson Whitfield")) == (None, "LEG")


def test_universities_and_institutes_are_education_with_their_place(placed_table: ActorTable) -> None:
    assert _parts(placed_table.resolve_phrase("University of Nairobi")) == ("KEN", "EDU")
    assert _parts(placed_table.resolve_phrase("Massachusetts Institute of Technology")) == ("USA", "EDU")
    assert _parts(placed_table.resolve_phrase("a Mombasa-based think tank")) == ("KEN", "EDU")


def test_demonym_and_agent_noun_compose(table: ActorTable) -> None:
    assert _parts(table.resolve_phrase("Panamanian immigration inspectors")) == ("PAN", "COP")
    assert _parts(table.resolve_phrase("Ukrainian parliament")) == ("UKR", "LEG")


def test_us_places_get_no_bare_name_title(placed_table: ActorTable) -> None:
    # Wikipedia titles US places "City, State"; the gazetteer's bare name would be a wrong link.
    austin = placed_table.resolve_phrase("Austin")
    assert austin is not None and austin.country == "USA" and austin.wikipedia is None
    washington = placed_table.resolve_phrase("Washington")
    assert washington is not None and washington.wikipedia == "Federal government of the United States"


def test_state_office_titles_take_the_context_country_without_a_table_holder(table: ActorTable) -> None:
    # No row holds "interior minister" or "mayor": the general list of state offices makes them offices.
    for office in ("the Interior Minister", "Defense Minister", "the mayor", "Governor"):
        found = table.resolve_phrase(office, context_country="NOR", date="2020-01-01")
        assert found is not None and found.country == "NOR", office
    # A company's secretary is no state office.
    assert _parts(table.resolve_phrase("the secretary", context_country="NOR")) == (None, "GOV")


def test_title_before_an_unknown_name_is_not_the_offices_holder(table: ActorTable) -> None:
    # Jonas Gahr Store holds the Norwegian premiership in 2023; "Minister Ola Vikdal" (fictional) is not him.
    holder = table.resolve_phrase("the Prime Minister", context_country="NOR", date="2023-01-01")
    titled = table.resolve_phrase("Prime Minister Ola Vikdal", context_country="NOR", date="2023-01-01")
    assert titled is not None and (titled.code, titled.name, titled.method) == ("NORGOV", None, "office+context")
    assert holder is not None and (holder.name, holder.method) == ("Jonas Gahr Støre", "office")


def test_title_before_a_known_person_is_their_role_in_the_text(table: ActorTable) -> None:
    senator = table.resolve_phrase("US Senator Marco Rubio")
    assert senator is not None and (senator.code, senator.name) == ("USALEG", "Marco Rubio")
    assert _parts(table.resolve_phrase("Marco Rubio")) == ("USA", "GOV")
    # The title picks the person's own row for that role, whatever today's row says.
    premier = table.resolve_phrase("Prime Minister Scott Morrison")
    assert premier is not None and (premier.code, premier.method) == ("AUSGOV", "title")
    assert _parts(table.resolve_phrase("Scott Morrison")) == ("AUS", "ELI")


def test_misspellings_that_reorder_letters_read_as_the_known_word(table: ActorTable) -> None:
    venezuela = table.resolve_phrase("Venezeula")
    assert venezuela is not None and (venezuela.country, venezuela.method) == ("VEN", "respelled")
    assert _parts(table.resolve_phrase("Kazahks")) == ("KAZ", None)
    assert _parts(table.resolve_phrase("Solider")) == (None, "MIL")
    # Real words with the letters of a known one are not typos: different first letter, more than two
    # edits away, lower case (not a name), or too short to tell.
    for word in ("Parties", "Circles", "Bengalis", "Tiresome", "the framers", "Nigre"):
        found = table.resolve_phrase(word)
        assert found is None or found.method != "respelled", word


def test_respelling_index_follows_added_rows(table: ActorTable, tmp_path: Path) -> None:
    extended = ActorTable.load(with_gazetteer_countries=False)
    assert extended.resolve_phrase("Zorvakia") is None
    assert extended.resolve_phrase("Zorvaika") is None
    path = tmp_path / "extra.txt"
    path.write_text("ZRVGOV | Zorvakia | ORG | ZRV | GOV | | | | Zorvakia\n", encoding="utf-8")
    extended.add_file(path)
    found = extended.resolve_phrase("Zorvaika")
    assert found is not None and (found.code, found.method) == ("ZRVGOV", "respelled")


def test_a_building_named_for_an_institution_links_to_the_building(table: ActorTable) -> None:
    pentagon = table.resolve_phrase("the Pentagon")
    assert pentagon is not None and (pentagon.code, pentagon.wikipedia) == ("USAMIL", "The Pentagon")
    military = table.resolve_phrase("the Department of Defense")
    assert military is not None and (military.code, military.wikipedia) == ("USAMIL", "United States Armed Forces")


def test_people_of_a_country_do_not_get_the_countrys_article(table: ActorTable) -> None:
    for phrase in ("the United States", "Iran's", "the U.S."):
        found = table.resolve_phrase(phrase)
        assert found is not None and found.wikipedia is not None, phrase
    for phrase in ("Two Russians", "three Iranians"):
        found = table.resolve_phrase(phrase)
        assert found is not None and found.country is not None and found.wikipedia is None, phrase


def test_an_institutions_proper_name_is_its_title(table: ActorTable) -> None:
    for name in ("Halvorsen Institute of Technology", "the Brackwater University", "Korvin General Hospital"):
        found = table.resolve_phrase(name)
        expected = name.removeprefix("the ")
        assert found is not None and (found.name, found.wikipedia) == (expected, expected), name
    # A kind of court, a demonym's court or a lower-case description names no one institution.
    for phrase in ("the Supreme Court", "Kenyan Supreme Court", "the Court of Appeal", "a university", "Harvard"):
        found = table.resolve_phrase(phrase)
        assert found is None or found.wikipedia is None or found.method == "table", phrase


def test_national_armed_forces_known_by_their_acronym(table: ActorTable) -> None:
    members = table.resolve_phrase("members of SANDF")
    assert members is not None and (members.code, members.wikipedia) == ("ZAFMIL", "South African National Defence Force")
    assert _parts(table.resolve_phrase("the KDF")) == ("KEN", "MIL")


def test_reserve_banks_are_central_banks(table: ActorTable) -> None:
    # PLOVER GOV covers executive divisions; a country's central bank is one, a commercial bank is BUS.
    assert _parts(table.resolve_phrase("India's reserve bank")) == ("IND", "GOV")
    assert _parts(table.resolve_phrase("an Indian bank")) == ("IND", "BUS")


def test_packaged_people_rows_are_consistent(table: ActorTable) -> None:
    """The people section is long and hand-written: a person is never a former official of a country on a
    day they hold an office in it, and no alias names two people in the same standing on the same day."""
    people = [r for r in table.rows if r.type == "PERSON"]

    def overlap(a: ActorRow, b: ActorRow) -> bool:
        return (a.valid_from or "0000") < (b.valid_to or "9999") and (b.valid_from or "0000") < (a.valid_to or "9999")

    by_person: dict[tuple[str, str], list[ActorRow]] = {}
    for row in people:
        by_person.setdefault((row.name, row.country), []).append(row)
    for rows in by_person.values():
        former = [r for r in rows if r.sector == "ELI"]
        holding = [r for r in rows if r.sector != "ELI"]
        assert not [(f, h) for f in former for h in holding if overlap(f, h)]
    by_alias: dict[str, list[ActorRow]] = {}
    for row in people:
        for alias in {normalize(a) for a in row.aliases}:
            by_alias.setdefault(alias, []).append(row)
    clashes = {
        alias
        for alias, rows in by_alias.items()
        for i, a in enumerate(rows)
        for b in rows[i + 1 :]
        if a.name != b.name and (a.sector == "ELI") == (b.sector == "ELI") and overlap(a, b)
    }
    assert not clashes



def test_uninhabited_territories_are_places_not_actors(placed_table: ActorTable) -> None:
    from newsmill.enrichment.places import Gazetteer

    assert placed_table.resolve_phrase("Antarctica") is None  # no one lives there to act
    assert placed_table.resolve_phrase("Argentina") is not None
    assert any(entry.country == "ATA" for entry in Gazetteer().by_name["antarctica"])  # still geocoded
