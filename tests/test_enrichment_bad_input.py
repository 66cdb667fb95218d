"""Bad input: a result or a clear skip reason, never a crash or a hang."""

from __future__ import annotations

import time
from typing import Any

from newsmill.enrichment.pipeline import MAX_TEXT_CHARS
from newsmill.models import Article

NEWS = "Iraqi soldiers attacked a rebel camp near Mosul on Monday, officials said. "


def one(stage: Any, article: Article) -> Any:
    return stage.process_batch([article])[0]


def test_empty_article_is_skipped_with_reason(enrich_stage: Any) -> None:
    result = one(enrich_stage, Article(id="empty"))
    assert result.skipped_reason and "empty" in result.skipped_reason
    assert result.events == [] and result.entities == []


def test_one_megabyte_article_is_truncated_and_noted(enrich_stage: Any) -> None:
    body = [NEWS * 12] * (1_000_000 // len(NEWS * 12) + 1)
    started = time.perf_counter()
    result = one(enrich_stage, Article(id="huge", body=body, published="2021-05-04"))
    assert time.perf_counter() - started < 60
    assert result.skipped_reason is None
    assert any(str(MAX_TEXT_CHARS) in note for note in result.notes)
    assert result.events  # the part that was read is still coded


def test_non_english_is_marked_not_coded(enrich_stage: Any) -> None:
    german = ("Die Regierung hat am Montag neue Sanktionen gegen das Nachbarland beschlossen, "
              "und der Minister sagte, dass die Armee nicht in die Region geschickt wird.")
    result = one(enrich_stage, Article(id="de", body=[german]))
    assert result.language == "de"
    assert result.skipped_reason and "not English" in result.skipped_reason
    assert result.events == []


def test_markup_debris_gives_a_result(enrich_stage: Any) -> None:
    debris = ("<div class='nav'><a href='/'>Home</a></div> {{ad_slot_3}} &nbsp;&nbsp; <script>var x=1;</script> "
              "| Share | Tweet | ▲▼ ||| " * 40) + NEWS
    result = one(enrich_stage, Article(id="debris", body=[debris], published="2021-05-04"))
    assert result.skipped_reason is None
    assert any(e.plover == "ASSAULT" for e in result.events)


def test_five_thousand_word_sentence_does_not_hang(enrich_stage: Any) -> None:
    sentence = " ".join(["the ministry and the army and the police"] * 625) + " attacked the village."
    started = time.perf_counter()
    result = one(enrich_stage, Article(id="long", body=[sentence, NEWS], published="2021-05-04"))
    assert time.perf_counter() - started < 60
    assert result.skipped_reason is None
    assert all(e.sentence_text != sentence for e in result.events)  # the run-on itself is not coded


def test_one_failing_article_does_not_end_the_batch(enrich_stage: Any) -> None:
    batch = [Article(id="a", body=[NEWS]), Article(id="b"), Article(id="c", body=["Ceci n'est pas une pipe, dit le ministre."])]
    results = enrich_stage.process_batch(batch)
    assert [r.article_id for r in results] == ["a", "b", "c"]
    assert results[0].events and results[1].skipped_reason and results[2].skipped_reason
