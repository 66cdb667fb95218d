"""Quotes and claims: speakers, cue verbs, reported speech, and scare quotes left unattributed."""

from __future__ import annotations

from typing import Any

from newsmill.models import Article

TEXT = (
    "“We will not be intimidated by anyone,” said Harbor Minister Lena Varga. "
    "Ramon Ortiz, the port director, warned that the strike “could cripple exports for weeks.” "
    "The so-called “reform plan” has few friends among the dockers. "
    "The Kremlin claimed that the naval drills were routine."
)


def quotes(stage: Any) -> list[Any]:
    return stage.process_batch([Article(id="q", body=[TEXT], published="2021-05-04")])[0].quotes


def test_direct_quote_has_speaker_and_cue(enrich_stage: Any) -> None:
    first = next(q for q in quotes(enrich_stage) if q.quote and q.quote.startswith("We will not"))
    assert first.kind == "direct"
    assert first.speaker is not None and "Lena Varga" in first.speaker
    assert (first.cue, first.cue_lemma) == ("said", "say")


def test_partial_quote_after_a_warning_verb(enrich_stage: Any) -> None:
    partial = next(q for q in quotes(enrich_stage) if q.quote and "cripple" in q.quote)
    assert partial.speaker is not None and "Ramon Ortiz" in partial.speaker
    assert partial.cue_lemma == "warn"


def test_scare_quote_is_not_attributed(enrich_stage: Any) -> None:
    scare = next(q for q in quotes(enrich_stage) if q.quote and "reform plan" in q.quote)
    assert scare.kind == "scare"
    assert scare.speaker is None and scare.cue is None


def test_reported_claim_without_quotation_marks(enrich_stage: Any) -> None:
    claim = next(q for q in quotes(enrich_stage) if q.quote is None and "drills" in q.claim)
    assert claim.kind == "indirect"
    assert claim.speaker_code == "RUSGOV" and claim.cue_lemma == "claim"
