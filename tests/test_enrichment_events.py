"""Event coding: types and actors, threats from conditionals, negated and historical events, dates, coreference."""

from __future__ import annotations

from typing import Any

import pytest

from newsmill.enrichment.dates import parse_published, resolve_date
from newsmill.enrichment.models import Event
from newsmill.models import Article


def events(stage: Any, text: str, published: str | None = "2021-05-04") -> list[Event]:
    return stage.process_batch([Article(id="e", body=[text], published=published)])[0].events


def test_attack_has_type_actor_target_and_scores(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Israeli warplanes struck Hamas positions in Gaza on Monday.")
    strike = next(e for e in found if e.plover == "ASSAULT")
    assert strike.actor_code == "ISRMIL" and strike.target_code == "PSEREB"
    assert strike.quad_class == 4 and strike.goldstein < -5
    assert strike.date == "2021-05-03" and strike.date_text == "Monday"


def test_conditional_force_is_a_threat_by_the_speaker(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Iran's foreign ministry said that any mistake by Washington would be met with force.")
    assert [e.plover for e in found] == ["THREATEN"]
    threat = found[0]
    assert threat.threatened and not threat.hypothetical
    assert (threat.actor_code, threat.target_code) == ("IRNGOV", "USAGOV")


def test_has_left_before_is_historical_not_new(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Nobody is surprised: the US has left Iraq before.")
    assert found and all(e.historical for e in found)


def test_old_dated_event_is_historical(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The prime minister of Iraq resigned in November.", published="2020-04-01")
    assert found and found[0].historical and found[0].date == "2019-11"


def test_negated_event_is_flagged(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The Iraqi army did not attack the convoy.")
    attack = next(e for e in found if e.plover == "ASSAULT")
    assert attack.negated


def test_stopped_training_is_a_sanction(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The US no longer is training the Iraqis.")
    assert [(e.plover, e.negated) for e in found] == [("SANCTION", False)]


def test_wants_them_to_leave_is_a_request(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Iran wants the US to leave Iraq.")
    request = next(e for e in found if e.plover == "REQUEST")
    assert (request.actor_code, request.target_code) == ("IRN", "USA")


def test_pronoun_actor_takes_the_earlier_subject(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Iraqi soldiers launched an offensive near Mosul. They killed twelve Islamic State fighters.")
    killing = next(e for e in found if e.trigger == "killed")
    assert killing.actor == "They" and killing.actor_code == "IRQMIL"
    assert killing.target_code == "IMGMUSISI"


def test_tuesday_night_in_a_wednesday_article_is_the_day_before() -> None:
    published = parse_published("2020-04-01T16:37")  # a Wednesday
    assert resolve_date("Tuesday night", published) == "2020-03-31"
    assert resolve_date("last year", published) == "2019"
    assert resolve_date("November", published) == "2019-11"


def test_event_date_from_a_relative_day(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Rebels attacked a police station in Mosul on Tuesday night.", published="2020-04-01")
    attack = next(e for e in found if e.plover == "ASSAULT")
    assert attack.date == "2020-03-31"
    assert attack.place == "Mosul" and attack.place_country == "IRQ"


def test_headline_without_period_is_its_own_sentence(enrich_stage: Any) -> None:
    article = Article(id="h", title="Militia attacks convoy near Basra", body=["Iraqi soldiers arrested two gunmen on Monday."])
    result = enrich_stage.process_batch([article])[0]
    assert result.events
    assert all("\n" not in e.sentence_text for e in result.events)


def test_announced_cooperation_is_an_intent(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Egypt's foreign minister will visit Jordan next week.")
    visit = next(e for e in found if e.trigger == "visit")
    assert (visit.plover, visit.cameo, visit.hypothetical) == ("AGREE", "036", False)
    assert (visit.actor_code, visit.target_code) == ("EGYGOV", "JOR")


def test_conjoined_actors_give_one_event_per_dyad(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Jordan and Egypt condemned Israel on Monday.")
    dyads = {(e.actor_code, e.plover, e.target_code) for e in found}
    assert dyads == {("JOR", "ACCUSE", "ISR"), ("EGY", "ACCUSE", "ISR")}


def _dyads(found: list[Event], plover: str) -> list[tuple[str | None, str | None]]:
    return [(e.actor, e.target) for e in found if e.plover == plover]


def test_target_is_the_actor_inside_a_phrase_about_a_thing(enrich_stage: Any) -> None:
    # the doer of a rejected request, the nationality of a proposal, the owner of a decision
    assert _dyads(events(enrich_stage, "Portugal rejected a request by Spain for more water."), "REJECT") == [
        ("Portugal", "Spain")
    ]
    assert _dyads(events(enrich_stage, "Norway rejected a Swedish proposal on fishing quotas."), "REJECT") == [
        ("Norway", "Swedish")
    ]
    found = events(enrich_stage, "Chile welcomed Canada's decision to lift the ban.")
    assert _dyads(found, "SUPPORT") == [("Chile", "Canada")]


def test_target_phrase_headed_by_an_actor_is_kept_whole_but_not_its_extras(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Portugal rejected the request by the Spanish government for more water.")
    assert _dyads(found, "REJECT") == [("Portugal", "the Spanish government")]
    found = events(enrich_stage, "Norway, along with its partners, rejected the plan.")
    assert [e.actor for e in found if e.plover == "REJECT"] == ["Norway"]


def test_subjectless_participle_clause_is_done_by_the_main_subject(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Danish police raided the camp, arresting two students.")
    arrest = next(e for e in found if e.trigger == "arresting")
    assert (arrest.actor_code, arrest.plover) == ("DNKCOP", "COERCE")


def test_demand_that_someone_act_targets_the_clause_subject(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Finland demanded that Estonia close the border crossing.")
    assert ("Finland", "Estonia") in _dyads(found, "REQUEST")
    found = events(enrich_stage, "The Danish government repeated its demand that Norway release the trawler.")
    assert ("The Danish government", "Norway") in _dyads(found, "REQUEST")
    # an indicative that-clause reports a fact, it is not a demand on its subject
    found = events(enrich_stage, "Finland insisted that Estonia closed the border crossing.")
    assert not any(e.plover == "REQUEST" and e.target_code == "EST" for e in found)


def test_recipient_of_an_infinitive_is_the_recipient_of_its_verb(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Hungary threatened to break off relations with Austria.")
    assert ("Hungary", "Austria") in _dyads(found, "THREATEN")


def test_own_troops_are_not_the_target_of_a_withdrawal(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Kenya withdrew its troops from Somalia.")
    assert _dyads(found, "RETREAT") == [("Kenya", "Somalia")]


def test_place_is_the_target_of_a_protest_with_no_one_named(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Farmers demonstrated in Chile on Monday.")
    protest = next(e for e in found if e.plover == "PROTEST")
    assert protest.target == "Chile"
    # meetings are only held somewhere: the place is not their counterpart
    found = events(enrich_stage, "Peruvian and Bolivian ministers met in Chile on Monday.")
    assert all(e.target != "Chile" for e in found)


def test_object_of_a_measure_or_compound_decides_the_verb_sense(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Japan gave Fiji two million dollars of aid for schools.")
    assert _dyads(found, "AID") == [("Japan", "Fiji")]
    found = events(enrich_stage, "Chile suspended part of its aid programme for Bolivia.")
    assert _dyads(found, "SANCTION") == [("Chile", "Bolivia")]


def test_effort_noun_takes_the_action_of_its_compound(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Norwegian diplomats launched a mediation effort between Chad and Niger.")
    assert {e.target_code for e in found if e.plover == "CONSULT"} == {"TCD", "NER"}


def test_protest_and_the_demand_it_makes_are_one_event(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Farmers demonstrated in Lima, calling for the resignation of the Peruvian farm minister.")
    assert [e.plover for e in found] == ["PROTEST"]
    assert found[0].target == "the Peruvian farm minister"
    # the lemmatizer's "stag" for "staged" no longer hides the light verb
    found = events(enrich_stage, "Students staged a protest in Lima.")
    assert [(e.plover, e.target) for e in found] == [("PROTEST", "Lima")]


def test_action_made_conditional_with_unless_is_a_threat(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Peru will close its embassy in Quito unless Ecuador releases the fishermen.")
    threat = next(e for e in found if e.trigger == "close")
    assert threat.plover == "THREATEN" and threat.threatened and threat.actor_code == "PER"


def test_failed_to_reach_a_deal_is_negated(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chile and Peru failed to reach an agreement on the border.")
    assert found and all(e.negated for e in found if e.plover == "AGREE")


def test_named_person_missing_from_the_table_can_act(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Maria Fenwick resigned on Tuesday.")
    assert [(e.plover, e.actor) for e in found] == [("RETREAT", "Maria Fenwick")]


def test_an_action_is_not_its_own_target(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Uruguay threatened to launch a new military offensive.")
    assert [(e.plover, e.target) for e in found] == [("THREATEN", None)]


def test_counted_people_are_the_actor_without_the_count(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Thousands of Chilean miners demonstrated in Santiago on Monday.")
    assert [e.actor for e in found if e.plover == "PROTEST"] == ["Chilean miners"]
    found = events(enrich_stage, "Kenyan police arrested more than 200 Somali refugees.")
    assert _dyads(found, "COERCE") == [("Kenyan police", "Somali refugees")]


def test_threat_is_aimed_at_whose_conduct_it_is_conditioned_on(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Austria threatened to recall its ambassador if Hungary builds the fence.")
    assert _dyads(found, "THREATEN") == [("Austria", "Hungary")]


def test_withdrawal_from_and_mobilisation_against(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Norway withdrew its observers from Sudan.")
    assert [(e.actor, e.target) for e in found] == [("Norway", "Sudan")]
    found = events(enrich_stage, "Greece mobilized reservists for a possible war against Turkey.")
    assert _dyads(found, "MOBILIZE") == [("Greece", "Turkey")]


def test_members_of_a_named_body_point_at_the_body(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Estonia expelled inspectors of the Nordic Fisheries Commission.")
    assert _dyads(found, "SANCTION") == [("Estonia", "the Nordic Fisheries Commission")]


def test_actor_inside_an_unplaced_thing_phrase(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chilean rebels dismissed an appeal from President Maria Fenwick to lay down their arms.")
    assert _dyads(found, "REJECT") == [("Chilean rebels", "President Maria Fenwick")]
    found = events(enrich_stage, "Bolivian police launched an investigation into crimes committed by Peruvian smugglers.")
    assert _dyads(found, "ACCUSE") == [("Bolivian police", "Peruvian smugglers")]
    found = events(enrich_stage, "Chile launched an invasion of Bolivia.")
    assert _dyads(found, "ASSAULT") == [("Chile", "Bolivia")]


def test_named_place_inside_a_kind_of_place_and_names_without_descriptions(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Turkish authorities imposed a curfew in the town of Cizre.")
    assert _dyads(found, "COERCE") == [("Turkish authorities", "Cizre")]
    found = events(enrich_stage, "Kenya promised more aid to war-torn Somalia.")
    assert [e.target for e in found] == ["Somalia"]


@pytest.mark.parametrize(
    ("sentence", "plover"),
    [
        ("Canada recalled its ambassador from Venezuela.", "SANCTION"),
        ("Brazil froze the assets of the Paraguayan minister.", "SANCTION"),
        ("Kenya turned down a Ugandan offer of talks.", "REJECT"),
        ("Argentine dockworkers went on strike.", "PROTEST"),
        ("Mexico applauded the Guatemalan decision.", "SUPPORT"),
    ],
)
def test_lexicon_verb_senses(enrich_stage: Any, sentence: str, plover: str) -> None:
    assert plover in [e.plover for e in events(enrich_stage, sentence)]


def test_locating_participle_stays_in_the_actor_span(enrich_stage: Any) -> None:
    found = events(enrich_stage, "A militia based in Goma attacked Congolese soldiers.")
    assert [e.actor for e in found if e.plover == "ASSAULT"] == ["A militia based in Goma"]


def test_letting_someone_act_is_yielding_to_them(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The Chilean Supreme Court allowed candidate Maria Fenwick to run in the election.")
    assert _dyads(found, "CONCEDE") == [("The Chilean Supreme Court", "Maria Fenwick")]


def test_hunger_strike_continued_to_demand_is_one_protest(enrich_stage: Any) -> None:
    text = "Islamic students continued their hunger strike to demand the release of Egyptian President Kamal Farid."
    assert [(e.plover, e.target) for e in events(enrich_stage, text)] == [("PROTEST", "Egyptian President Kamal Farid")]


def test_completed_withdrawal_and_titles_with_for(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Bolivian rebels said their fighters had completed their withdrawal from the town.")
    assert [e.plover for e in found] == ["RETREAT"]
    found = events(enrich_stage, "The Minister for Interior Pedro Alvarado condemned the attack.")
    assert [e.actor for e in found] == ["The Minister for Interior Pedro Alvarado"]


def test_purpose_clause_names_whom_force_is_aimed_at(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chilean police opened fire to disperse Bolivian protesters.")
    assert _dyads(found, "ASSAULT") == [("Chilean police", "Bolivian protesters")]


def test_verb_phrase_hung_on_a_target_is_not_part_of_it(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The Peruvian army forced out hundreds of Bolivian villagers from their homes.")
    assert [e.target for e in found] == ["Bolivian villagers"]


def test_thing_phrase_with_no_clear_actor_is_no_target(enrich_stage: Any) -> None:
    text = "The Chilean court opened a hearing into the legality of mining permits issued to Bolivian companies."
    assert [(e.plover, e.target) for e in events(enrich_stage, text)] == [("ACCUSE", None)]


def test_pronoun_named_in_the_same_sentence_is_reported_as_that_mention(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chile says it will withdraw its observers from Bolivia.")
    assert [(e.actor, e.actor_code) for e in found] == [("Chile", "CHL")]
    # across sentences the pronoun stays as written, with the antecedent's actor code
    found = events(enrich_stage, "Chilean soldiers crossed the border. They attacked a Bolivian post.")
    attack = next(e for e in found if e.plover == "ASSAULT")
    assert attack.actor == "They" and attack.actor_code == "CHLMIL"


@pytest.mark.parametrize(
    ("sentence", "plover"),
    [
        ("Peru closed its embassy in Quito.", "SANCTION"),
        ("Chile and Peru normalised relations.", "SUPPORT"),
        ("The rebels halted their offensive against Goma.", "RETREAT"),
        ("Bolivia ruled out talks with the Chilean government.", "REJECT"),
        ("Kenyan police rounded up dozens of Somali refugees.", "COERCE"),
        ("Chile announced the deployment of troops to the Bolivian border.", "MOBILIZE"),
        ("Peru lodged a formal protest with Chile over the fishing dispute.", "ACCUSE"),
        ("Bolivia withdrew from the talks with Chile.", "SANCTION"),
        ("Kenyan police dispersed the crowd in Nairobi.", "COERCE"),
    ],
)
def test_more_lexicon_verb_and_noun_senses(enrich_stage: Any, sentence: str, plover: str) -> None:
    assert plover in [e.plover for e in events(enrich_stage, sentence)]


def test_count_after_a_name_and_passive_participles(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Peru has offered to hand over to Chile two of its officers accused of spying.")
    assert ("Peru", "Chile") in _dyads(found, "AGREE")
    # the officers are the accused: a bare participle does not take the main clause's subject
    assert not any(e.plover == "ACCUSE" and e.actor == "Peru" for e in found)
    found = events(enrich_stage, "Canada is providing military intelligence to Ukraine.")
    assert _dyads(found, "AID") == [("Canada", "Ukraine")]


def test_two_actors_the_table_files_under_one_code_stay_two(enrich_stage: Any) -> None:
    assert _dyads(events(enrich_stage, "Iraqi Kurds protested against Iraq."), "PROTEST") == [("Iraqi Kurds", "Iraq")]
    # one actor named twice is not its own target
    assert _dyads(events(enrich_stage, "Peru criticized Peru."), "ACCUSE") == [("Peru", None)]


@pytest.mark.parametrize(
    ("sentence", "plover"),
    [
        ("Peru lambasted the Chilean government.", "ACCUSE"),
        ("Chilean officers are training Bolivian soldiers.", "COOPERATE"),
        ("Farmers staged a protest in Lima.", "PROTEST"),
    ],
)
def test_verbs_the_lemmatizer_gets_wrong_are_still_coded(enrich_stage: Any, sentence: str, plover: str) -> None:
    assert plover in [e.plover for e in events(enrich_stage, sentence)]


def test_prepositional_verbs_fall_back_to_a_named_object_and_kinds_own_things(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Bolivia warned Chile against building a wall on the border.")
    assert _dyads(found, "THREATEN") == [("Bolivia", "Chile")]
    found = events(enrich_stage, "The Chilean army shelled rebel positions near the border.")
    assert [(e.plover, e.target) for e in found] == [("ASSAULT", "rebel")]
    # where an agreement is signed is not a party to it
    found = events(enrich_stage, "Brazil and Argentina signed a trade agreement in Buenos Aires.")
    assert all(e.target is None for e in found)


def test_sending_peacekeepers_is_aid(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The United Nations sent 500 peacekeepers to Haiti.")
    assert [(e.plover, e.target) for e in found] == [("AID", "Haiti")]


def test_action_as_subject_is_done_by_its_owner(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Bolivia's attack on the Chilean outpost killed two soldiers.")
    killed = next(e for e in found if e.trigger == "killed")
    assert killed.actor_code == "BOL"


def test_talks_between_two_parties(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Talks between Peru and Ecuador resumed in Brasilia.")
    assert ("Peru", "Ecuador") in _dyads(found, "CONSULT")


@pytest.mark.parametrize(
    ("sentence", "plover"),
    [
        ("Venezuela sent tanks to the Colombian border.", "MOBILIZE"),
        ("Ecuadorean police used tear gas against demonstrators in Quito.", "COERCE"),
    ],
)
def test_sending_hardware_and_using_force(enrich_stage: Any, sentence: str, plover: str) -> None:
    assert plover in [e.plover for e in events(enrich_stage, sentence)]


def test_paragraph_break_is_not_part_of_a_name(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Peru hosts talks between Chile and Bolivia\n\nThe talks began on Monday in Lima.")
    assert found and all("\n" not in (e.actor or "") + (e.target or "") for e in found)


def test_owner_of_a_thing_without_the_things_words(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The Peruvian navy fired on a Chilean fishing boat.")
    assert _dyads(found, "ASSAULT") == [("The Peruvian navy", "Chilean")]


def test_conjoined_parties_need_no_recipient_for_cooperation(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Paraguay and Bolivia have restored diplomatic relations.")
    assert {e.actor for e in found if e.plover == "COOPERATE"} == {"Paraguay", "Bolivia"}
    # one party alone still needs its counterpart named
    assert not [e for e in events(enrich_stage, "Paraguay has restored diplomatic relations.") if e.plover == "COOPERATE"]


@pytest.mark.parametrize(
    ("sentence", "plover", "target"),
    [
        ("The Brazilian president paid a three-day visit to Argentina.", "CONSULT", "Argentina"),
        ("Ecuador voiced support for Peru's bid to host the summit.", "SUPPORT", "Peru"),
        ("Bolivia expressed its readiness to resume talks with Chile.", "AGREE", None),
        ("Bolivian rebels freed two Chilean engineers on Sunday.", "RETREAT", "Chilean"),
    ],
)
def test_light_verbs_pay_express_voice_and_freeing(enrich_stage: Any, sentence: str, plover: str, target: str | None) -> None:
    assert (plover, target) in [(e.plover, e.target) for e in events(enrich_stage, sentence)]


def test_misread_initial_name_is_the_subject_and_troops_massed_on_a_border(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Turkey massed troops on its border with Syria.")
    assert _dyads(found, "MOBILIZE") == [("Turkey", "Syria")]


def test_protest_outside_an_embassy_targets_its_government(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Greek Cypriots protested outside the Turkish embassy in Nicosia.")
    assert [e.target_code for e in found if e.plover == "PROTEST"] == ["TURGOV"]


@pytest.mark.parametrize(
    ("sentence", "plover"),
    [
        ("Kenyan students stoned police cars in Nairobi.", "PROTEST"),
        ("Moroccan troops repulsed an attack by Polisario guerrillas.", "ASSAULT"),
        ("The Spanish government imposed an arms embargo on Morocco.", "SANCTION"),
    ],
)
def test_stoning_repelling_and_embargoes(enrich_stage: Any, sentence: str, plover: str) -> None:
    assert plover in [e.plover for e in events(enrich_stage, sentence)]


@pytest.mark.parametrize(
    ("sentence", "plover", "actor"),
    [
        ("The Lebanese army retook the town from the militiamen.", "ASSAULT", "The Lebanese army"),
        ("Chile forgave Peru for the incident.", "SUPPORT", "Chile"),
        ("Israeli fire on the camp killed two people.", "ASSAULT", "Israeli"),
    ],
)
def test_prefixed_irregular_pasts_and_fire_as_an_action(enrich_stage: Any, sentence: str, plover: str, actor: str) -> None:
    assert (plover, actor) in [(e.plover, e.actor) for e in events(enrich_stage, sentence)]


def test_exchanged_fire_has_no_target_of_its_own(enrich_stage: Any) -> None:
    found = events(enrich_stage, "India and Pakistan exchanged artillery fire across the border.")
    assert {e.actor for e in found if e.plover == "ASSAULT"} == {"India", "Pakistan"}
    assert all(e.target is None for e in found)


def test_descriptions_before_a_name_are_not_the_name(enrich_stage: Any) -> None:
    # a plain adjective or a lowercase role noun describes the person; a capitalized title names them
    found = events(enrich_stage, "Chilean police arrested former president Anton Vasko.")
    assert [e.target for e in found] == ["Anton Vasko"]
    found = events(enrich_stage, "Bolivian rebels tried to assassinate outgoing Prime Minister Clara Ruiz.")
    assert [e.target for e in found] == ["Prime Minister Clara Ruiz"]
    found = events(enrich_stage, "Peruvian troops killed three top rebel leaders.")
    assert [e.target for e in found] == ["rebel leaders"]
    # a people's name keeps what it is called: "ethnic Albanians"
    found = events(enrich_stage, "Serbian police attacked ethnic Albanians.")
    assert [e.target for e in found] == ["ethnic Albanians"]


def test_what_a_protest_is_over_names_whom_it_is_aimed_at(enrich_stage: Any) -> None:
    text = "Chilean dockers went on strike over a pension law signed by President Maria Fenwick."
    assert [(e.plover, e.target) for e in events(enrich_stage, text) if e.plover == "PROTEST"] == [
        ("PROTEST", "President Maria Fenwick")
    ]
    text = "Bolivian students staged a hunger strike in protest of the Peruvian government's decision."
    assert [(e.plover, e.target) for e in events(enrich_stage, text)] == [("PROTEST", "the Peruvian government")]


def test_possessive_ending_is_not_part_of_the_owner(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chile backed Bolivia's bid for a seat on the council.")
    assert [e.target for e in found] == ["Bolivia"]


def test_bracketed_short_form_is_not_part_of_the_name(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chile condemned the Bolivian Workers Party (BWP) on Monday.")
    assert [e.target for e in found] == ["the Bolivian Workers Party"]


def test_purpose_infinitive_is_aimed_where_its_verb_sends(enrich_stage: Any) -> None:
    found = events(enrich_stage, "The United Nations sent twenty officers to Bolivia to investigate the killings.")
    assert [(e.plover, e.target) for e in found if e.trigger == "investigate"] == [("ACCUSE", "Bolivia")]


def test_border_and_restriction_verbs(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Peru reopened its border crossings to Chilean traders.")
    assert [(e.cameo, e.target) for e in found] == [("081", "Chilean traders")]
    found = events(enrich_stage, "Bolivia barred Peruvian journalists from the capital.")
    assert [(e.cameo, e.target) for e in found] == [("172", "Peruvian journalists")]
    found = events(enrich_stage, "The European Union removed sanctions on Chile.")
    assert [(e.cameo, e.target) for e in found] == [("085", "Chile")]


def test_where_refuge_is_sought_and_embassies_opened_is_the_counterpart(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Some 8,000 Chileans sought refuge in Peru last month.")
    assert [(e.plover, e.target) for e in found] == [("REQUEST", "Peru")]
    found = events(enrich_stage, "Peru opened an embassy in La Paz.")
    assert [(e.cameo, e.target) for e in found] == [("054", "La Paz")]


def test_coordinated_verbs_share_the_last_ones_object(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chile condemned and expelled the Bolivian ambassador.")
    assert [(e.plover, e.target) for e in found] == [
        ("ACCUSE", "the Bolivian ambassador"), ("SANCTION", "the Bolivian ambassador")
    ]
    # a conjunct with a subject of its own is another clause: its object is not shared
    found = events(enrich_stage, "Chile criticized and Peru expelled the Bolivian ambassador.")
    assert [(e.actor, e.target) for e in found if e.plover == "ACCUSE"] == [("Chile", None)]


def test_relative_pronoun_stands_for_the_noun_its_clause_modifies(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Peru freed the Bolivian soldiers whom Chilean troops had captured in May.")
    assert _dyads(found, "ASSAULT") == [("Chilean troops", "the Bolivian soldiers")]
    found = events(enrich_stage, "Chile condemned the Bolivian rebels who attacked Peruvian police.")
    assert _dyads(found, "ASSAULT") == [("the Bolivian rebels", "Peruvian police")]
    found = events(enrich_stage, "Bolivia released the Chilean journalist, who had been arrested by Peruvian police.")
    assert _dyads(found, "COERCE") == [("Peruvian police", "the Chilean journalist")]


def test_what_a_named_thing_is_is_not_its_name(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Chile ordered opposition newspaper El Faro to close.")
    assert [(e.plover, e.target) for e in found] == [("REQUEST", "El Faro")]


def test_delivering_and_shipping_relief_is_aid(enrich_stage: Any) -> None:
    found = events(enrich_stage, "Peru delivered 500 tons of grain to Bolivia.")
    assert [(e.cameo, e.target) for e in found] == [("073", "Bolivia")]
    found = events(enrich_stage, "Chile shipped food to Bolivian refugees.")
    assert [(e.plover, e.target) for e in found] == [("AID", "Bolivian refugees")]
