"""Chart specifications (Vega-Lite, and Vega for the force-directed network) built from query results.

Specs carry their data inline and are embedded in pages as ``<script type="application/json">`` blocks,
rendered by static/charts.js with Vega's expression interpreter: no inline script, no ``eval``. They
must never reference a URL: nothing is loaded from the internet.
"""

from __future__ import annotations

from typing import Any

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VEGA_SCHEMA = "https://vega.github.io/schema/vega/v5.json"
#: Goldstein scores run from -10 (most hostile) to +10 (most cooperative).
GOLDSTEIN_DOMAIN = [-10, 10]
CHART_WIDTH = 640
# Counts are whole numbers: no 0.2-event ticks on small series.
COUNT_AXIS = {"format": "d", "tickMinStep": 1}


def _temporal_x(period: str) -> dict[str, Any]:
    unit = {"day": "yearmonthdate", "week": "yearmonthdate", "month": "yearmonth"}.get(period, "yearmonthdate")
    return {"field": "period", "type": "temporal", "timeUnit": unit, "title": f"{period} starting"}


def dyad_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Mean Goldstein and event count per period, each direction a line, and counts by PLOVER type."""
    color = {"field": "direction", "type": "nominal", "title": "direction"}
    series = data["series"]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"events between {data['a']} and {data['b']}",
        "vconcat": [
            {
                "data": {"values": series},
                "width": CHART_WIDTH,
                "height": 180,
                "title": f"mean Goldstein score per {data['period']}",
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": _temporal_x(data["period"]),
                    "y": {"field": "goldstein", "type": "quantitative", "scale": {"domain": GOLDSTEIN_DOMAIN},
                          "title": "mean Goldstein"},
                    "color": color,
                    "tooltip": [{"field": "period", "type": "temporal"}, {"field": "direction"},
                                {"field": "goldstein", "type": "quantitative"}, {"field": "events", "type": "quantitative"}],
                },
            },
            {
                "data": {"values": series},
                "width": CHART_WIDTH,
                "height": 140,
                "title": f"events per {data['period']}",
                "mark": {"type": "line", "point": True},
                "encoding": {"x": _temporal_x(data["period"]), "y": {"field": "events", "type": "quantitative", "axis": COUNT_AXIS},
                             "color": color},
            },
            {
                "data": {"values": data["by_plover"]},
                "width": CHART_WIDTH,
                "title": "events by PLOVER type",
                "mark": "bar",
                "encoding": {
                    "y": {"field": "plover", "type": "nominal", "sort": "-x", "title": "PLOVER type"},
                    "x": {"field": "events", "type": "quantitative", "stack": True, "axis": COUNT_AXIS},
                    "color": color,
                    "tooltip": [{"field": "plover"}, {"field": "direction"}, {"field": "events", "type": "quantitative"}],
                },
            },
        ],
    }


def actor_timeline_spec(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"events of {profile['code']} over time",
        "data": {"values": profile["timeline"]},
        "width": CHART_WIDTH,
        "height": 180,
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": _temporal_x(profile["period"]),
            "y": {"field": "events", "type": "quantitative", "axis": COUNT_AXIS},
            "color": {"field": "role", "type": "nominal", "title": str(profile["code"])},
            "tooltip": [{"field": "period", "type": "temporal"}, {"field": "role"}, {"field": "events", "type": "quantitative"},
                        {"field": "goldstein", "type": "quantitative", "title": "mean Goldstein"}],
        },
    }


def map_spec(places: list[dict[str, Any]]) -> dict[str, Any]:
    """Points on a plain Equal Earth projection with a graticule: no tiles, no country shapes to fetch."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "places mentioned in the articles",
        "width": 800,
        "height": 420,
        "projection": {"type": "equalEarth"},
        "layer": [
            {"data": {"sphere": True}, "mark": {"type": "geoshape", "fill": "#f3f7fa", "stroke": "#9aa"}},
            {"data": {"graticule": {"step": [30, 30]}}, "mark": {"type": "geoshape", "filled": False, "stroke": "#d5dde2"}},
            {
                "data": {"values": places},
                "mark": {"type": "circle", "opacity": 0.75, "stroke": "white", "strokeWidth": 0.5},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "size": {"field": "mentions", "type": "quantitative", "scale": {"range": [20, 600]},
                             "legend": COUNT_AXIS},
                    "color": {"field": "feature", "type": "nominal"},
                    "tooltip": [{"field": "name"}, {"field": "country"}, {"field": "feature"},
                                {"field": "mentions", "type": "quantitative"}, {"field": "articles", "type": "quantitative"}],
                },
            },
        ],
    }


def network_spec(net: dict[str, Any]) -> dict[str, Any]:
    """A force-directed graph (Vega): node size = events, edge width = event count, edge colour = share of
    conflict events (blue cooperative → red hostile); edges curve, so A→B and B→A stay apart.
    """
    index = {node["code"]: i for i, node in enumerate(net["nodes"])}
    links = [
        {"source": index[e["source"]], "target": index[e["target"]], "events": e["events"],
         "hostility": e["hostility"], "goldstein": e["goldstein"]}
        for e in net["edges"]
    ]
    return {
        "$schema": VEGA_SCHEMA,
        "description": "who acts on whom",
        "width": 760,
        "height": 520,
        "autosize": "none",
        "padding": 10,
        "signals": [{"name": "cx", "update": "width / 2"}, {"name": "cy", "update": "height / 2"}],
        "data": [{"name": "node-data", "values": net["nodes"]}, {"name": "link-data", "values": links}],
        "scales": [
            {"name": "hostility", "type": "linear", "domain": [0, 1], "range": ["#2c7bb6", "#d7191c"]},
            {"name": "size", "type": "sqrt", "domain": {"data": "node-data", "field": "events"}, "range": [60, 900]},
        ],
        "legends": [{"stroke": "hostility", "title": "share of conflict events", "orient": "top-left", "type": "gradient"}],
        "marks": [
            {
                "name": "nodes",
                "type": "symbol",
                "zindex": 1,
                "from": {"data": "node-data"},
                "encode": {
                    "enter": {
                        "fill": {"value": "#555"},
                        "stroke": {"value": "white"},
                        "size": {"scale": "size", "field": "events"},
                        "tooltip": {"signal": "datum.name + ' (' + datum.code + '): ' + datum.events + ' events'"},
                    }
                },
                "transform": [
                    {
                        "type": "force",
                        "iterations": 300,
                        "static": True,
                        "signal": "force",
                        "forces": [
                            {"force": "center", "x": {"signal": "cx"}, "y": {"signal": "cy"}},
                            {"force": "collide", "radius": 18},
                            {"force": "nbody", "strength": -120},
                            {"force": "link", "links": "link-data", "distance": 110},
                        ],
                    }
                ],
            },
            {
                "type": "path",
                "from": {"data": "link-data"},
                "interactive": False,
                "encode": {
                    "update": {
                        "stroke": {"scale": "hostility", "field": "hostility"},
                        "strokeWidth": {"signal": "1 + sqrt(datum.events)"},
                        "strokeOpacity": {"value": 0.75},
                    }
                },
                "transform": [
                    {
                        "type": "linkpath",
                        "require": {"signal": "force"},
                        "shape": "arc",
                        "sourceX": "datum.source.x",
                        "sourceY": "datum.source.y",
                        "targetX": "datum.target.x",
                        "targetY": "datum.target.y",
                    }
                ],
            },
            {
                "type": "text",
                "from": {"data": "nodes"},
                "interactive": False,
                "zindex": 2,
                "encode": {
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "dy": {"value": -12},
                        "align": {"value": "center"},
                        "fontSize": {"value": 11},
                        "text": {"field": "datum.code"},
                    }
                },
            },
        ],
    }
