"""Fictional news pages for the enrichment storage and events tests (site and stories made up here).

The stories name real countries and institutions from newsmill's actor table (so that events get actor
codes) but report made-up events. ``write_pages(folder)`` writes them as HTML pages with a news site's
boilerplate (cookie banner, navigation, "Most read", newsletter box, footer).
"""

from __future__ import annotations

from pathlib import Path

import fictional_news
from fictional_news import Site, Story

SITE_NAME = "The Gulf Dispatch"
SITE_HOST = "www.gulf-dispatch.example"
GULF_DISPATCH = Site(
    SITE_NAME, SITE_HOST, "en", ("News", "Region", "Business", "Sport", "Opinion"),
    ("Ferry timetable changes for the spring", "New cycle lane opens on the corniche",
     "Desert marathon draws record field"),
    "The Morning Dispatch", "Gulf Dispatch Media",
)


MISSILES = Story(
    "missiles-us-base", "Revolutionary Guards fire missiles at US base in Iraq",
    "Tehran warns Washington against new sanctions as tension in the Gulf rises.",
    ("Dana Whitcombe",), "2020-03-10T07:30:00+00:00", (),
    (
        "Iran's Islamic Revolutionary Guard Corps fired missiles at a United States base in Iraq on Sunday, "
        "officials in Baghdad said.",
        "Iran's foreign ministry accused the United States of piracy in the Gulf on Monday.",
        "Tehran threatened to close the Strait of Hormuz to American ships if Washington imposed new sanctions.",
        "The United States condemned the attack and said it would impose new sanctions on Iran.",
        "In 2011 the United States withdrew its troops from Iraq.",
        "No casualties were reported at the base, which hosts about 2,000 troops.",
    ),
)
TALKS = Story(
    "baghdad-talks", "Iraq hosts talks between Iran and Saudi Arabia",
    "Diplomats from both countries met in Baghdad for a second round.",
    ("Omar Haddad",), "2020-02-14T09:00:00+00:00", (),
    (
        "Iraq hosted talks between Iran and Saudi Arabia in Baghdad on Thursday.",
        "Iranian President Hassan Rouhani praised Iraq for its mediation.",
        "Saudi Arabia and Iran agreed to reopen their embassies, according to a joint statement.",
    ),
)
HARBOUR = Story(
    "harbour-market", "Harbour fish market extends its opening hours",
    "Traders welcome the change ahead of the summer season.",
    ("Lena Brightwater",), "2020-03-02T12:00:00+00:00", (),
    (
        "The harbour fish market will open two hours earlier from next month, the market trust announced.",
        "Stallholders said the change would help them sell to restaurants before the lunchtime rush.",
        "The trust plans to repaint the covered hall in the autumn.",
    ),
)
GERMAN = Story(
    "hafen-markt", "Fischmarkt am Hafen verlängert seine Öffnungszeiten",
    "Die Händler begrüßen die Änderung vor der Sommersaison.",
    ("Jonas Falkenberg",), "2020-03-03T08:00:00+00:00", (),
    (
        "Der Fischmarkt am Hafen wird ab nächstem Monat zwei Stunden früher öffnen, teilte die Marktstiftung mit.",
        "Die Standbetreiber sagten, die Änderung helfe ihnen, vor dem Mittagsgeschäft an Restaurants zu verkaufen.",
        "Die Stiftung will die überdachte Halle im Herbst neu streichen lassen und die Beleuchtung erneuern.",
    ),
    lang="de",
)
STORIES = (MISSILES, TALKS, HARBOUR, GERMAN)


def story_url(story: Story) -> str:
    return fictional_news.story_url(GULF_DISPATCH, story)


def news_page(story: Story) -> str:
    return fictional_news.news_page(GULF_DISPATCH, story)


def write_pages(folder: Path, stories: tuple[Story, ...] = STORIES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for story in stories:
        path = folder / f"{story.slug}.html"
        path.write_text(news_page(story), encoding="utf-8")
        paths.append(path)
    return paths


def ingest_pages(folder: Path, db: Path) -> Path:
    """The stories ingested into a new database at ``db`` (one worker, no search index: fast)."""
    import newsmill

    report = newsmill.ingest(write_pages(folder), db=db, workers=1, search=False)
    assert report.run.articles == len(STORIES), report
    return db
