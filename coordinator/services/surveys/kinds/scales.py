"""What a scale is, for the scale kind and for grids answered on a scale: 1–5 or 1–7,
labels at the two ends, and an optional "Vet ej" outside the scale."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.errors import SurveyError

POINTS = (5, 7)
DONT_KNOW = "dont_know"
END_LABEL_LENGTH = 60


def clean_scale(values: Mapping[str, Any]) -> dict[str, Any]:
    """Scale settings from the builder's fields scale_points, low_label, high_label and
    dont_know."""
    try:
        points = int(values.get("scale_points") or POINTS[0])
    except (TypeError, ValueError):
        points = 0
    if points not in POINTS:
        raise SurveyError(_l("Välj en skala från 1 till 5 eller från 1 till 7"), "scale_points")
    labels = {}
    for name in ("low_label", "high_label"):
        label = str(values.get(name) or "").strip()
        if len(label) > END_LABEL_LENGTH:
            raise SurveyError(
                _l("Skriv ändpunktens text med högst %(n)s tecken", n=END_LABEL_LENGTH), name
            )
        labels[name] = label
    return {"points": points, **labels, "dont_know": bool(values.get("dont_know"))}


def scale_data(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The builder's fields for stored scale settings."""
    return {
        "scale_points": str(settings.get("points", POINTS[0])),
        "low_label": settings.get("low_label", ""),
        "high_label": settings.get("high_label", ""),
        "dont_know": bool(settings.get("dont_know")),
    }


def scale_values(settings: Mapping[str, Any]) -> list[str]:
    points = [str(n) for n in range(1, int(settings.get("points", POINTS[0])) + 1)]
    return points + ([DONT_KNOW] if settings.get("dont_know") else [])


def end_label(settings: Mapping[str, Any], value: str) -> str:
    """The text at an end of the scale ("Mycket dåligt" at 1), or ""."""
    points = int(settings.get("points", POINTS[0]))
    ends = {"1": settings.get("low_label"), str(points): settings.get("high_label")}
    return str(ends.get(value) or "")


def point_label(settings: Mapping[str, Any], value: str) -> str:
    """ "1 – Mycket dåligt", "3", "Vet ej"."""
    if value == DONT_KNOW:
        return _("Vet ej")
    end = end_label(settings, value)
    return f"{value} – {end}" if end else value


def reading(settings: Mapping[str, Any], value: str) -> str:
    """An answer on the scale as it reads on its own: "2 av 5", "1 av 5 – Mycket dåligt"."""
    if on_scale(value) is None:
        return point_label(settings, value)
    end = end_label(settings, value)
    text = _("%(point)s av %(points)s", point=value, points=settings.get("points", POINTS[0]))
    return f"{text} – {end}" if end else text


def scale_choices(settings: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(value, point_label(settings, value)) for value in scale_values(settings)]


def on_scale(value: str) -> int | None:
    """The point of a value on the scale, or None for "Vet ej" and nothing."""
    return int(value) if value.isdigit() else None
