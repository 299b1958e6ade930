"""Run axe-core in the page and fail on any WCAG 2.1 A/AA violation."""

from __future__ import annotations

from typing import Any

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.1 A and AA rules that the page breaks, as axe reports them."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return list(results.response["violations"])


def assert_accessible(page: Any, context: str = "") -> None:
    violations = axe_violations(page)
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {context or page.url}:"]
        for v in violations:
            targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} -> {targets}")
        raise AssertionError("\n".join(lines))
