"""One pass over every HTML page: the pages come from the authorisation matrix, the data
from the demo (real texts, 21 boards, answers) plus the matrix's own world.

For each page the walk keeps the server's HTML (for the Nu HTML checker, run once over the
folder afterwards), measures horizontal overflow at 320 CSS px and at 1280 px with 200 %
zoom (a 640 CSS px layout viewport), and runs axe at 1280 px.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from coordinator.extensions import db
from tests.e2e.axe import axe_violations
from tests.factories import PASSWORD
from tests.test_authorisation_matrix import LEVELS, MATRIX, World, build_world
from tests.test_authorisation_matrix import _url as route_url

VNU_JAR = (
    Path(__file__).parents[1] / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)

# Who opens a page: the first of these whom the matrix's access level allows (so public
# pages are seen signed out, and the administrator opens every staff page); a level that
# allows no one is not walked.
ROLE_PREFERENCE = ("nobody", "respondent", "admin")


def role_for(level: str) -> str | None:
    return next((r for r in ROLE_PREFERENCE if LEVELS[level][r] == "allow"), None)


# Reflow: the document must not be wider than the viewport. An element that scrolls
# sideways on its own is allowed only as a labelled, focusable region (a wide table).
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    const s = getComputedStyle(el);
    return (s.overflowX === 'auto' || s.overflowX === 'scroll') && el !== document.body
      && el !== document.documentElement;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const problems = [];
  for (const el of document.querySelectorAll('body *')) {
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1) {
      const labelled = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
      if (el.getAttribute('role') !== 'region' || el.tabIndex < 0 || !labelled) {
        problems.push(name(el) + ' scrolls but is not a labelled, focusable region');
      }
    }
  }
  let widest = null;
  for (const el of document.querySelectorAll('body *')) {
    let inside = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p)) { inside = true; break; }
    }
    if (inside) continue;
    const right = el.getBoundingClientRect().right + window.scrollX;
    if (right > width + 1 && (!widest || right > widest.right)) {
      widest = {right: Math.round(right), name: name(el)};
    }
  }
  const hidden = ['hidden', 'clip'].includes(getComputedStyle(document.body).overflowX)
    || ['hidden', 'clip'].includes(getComputedStyle(document.documentElement).overflowX);
  if (hidden) problems.push('the page hides what does not fit (overflow-x: hidden)');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: width,
    widest: widest,
    problems: problems,
  };
}
"""


@dataclass
class PageResult:
    name: str
    url: str
    reflow: dict[str, str] = field(default_factory=dict)  # viewport -> "ok" or the problem
    axe: list[str] = field(default_factory=list)
    vnu: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # failed resources, a shared title
    html_file: str = ""
    title: str = ""

    @property
    def passed(self) -> bool:
        return all(v == "ok" for v in self.reflow.values()) and not self.axe and not self.vnu


@dataclass
class Page:
    name: str  # endpoint, or endpoint plus what is special about this view
    url: str
    role: str
    submit: bool = False  # also send its form as it is, to see the errors


# Pages whose form, sent empty, comes back with errors and changes nothing: every "new …"
# form, and the answer form (asking to submit with required answers missing).
def _submit_empty_form(endpoint: str) -> bool:
    return endpoint.split(".")[1].startswith("new_") or endpoint == "respond.show_form"


def demo_world(app: Flask) -> World:
    """The demo data, then the matrix's world; the ids that the demo has real content for
    (the RUS project, its survey with answers, meetings, news) point at the demo."""
    from coordinator.demo.loading import load_demo_data
    from coordinator.models import Invitation, Meeting, NewsItem, NoteRevision, Project, Response
    from coordinator.services.surveys.invitations import invitation_token

    now = datetime.now(UTC)
    demo = load_demo_data(PASSWORD, now=now)
    survey = demo["survey"]
    world = build_world()
    # The matrix's survey shares its attachments: the shared files are downloaded there.
    world.overrides["shared_results.public_file"] = {
        "slug": world.ids["slug"],
        "survey_id": world.ids["survey_id"],
    }
    project = db.session.scalar(select(Project).where(Project.id == survey.project_id))
    meeting = db.session.scalars(
        select(Meeting).where(Meeting.project_id == project.id).order_by(Meeting.id)
    ).first()
    meeting.revisions.append(
        NoteRevision(
            text=meeting.revisions[-1].text.replace("Beslut", "Beslut och åtgärder", 1)
            + "\n\nUppföljningsmöte i oktober med miljömålssamordnarna.",
            published=True,
            created_at=now,
        )
    )
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.survey_id == survey.id).order_by(Invitation.id)
    )
    world.ids.update(
        survey_id=survey.id,
        question_id=survey.questions[0].id,
        invitation_id=invitation.id,
        organisation_id=invitation.contact.organisation_id,
        slug=project.slug,
        meeting_id=meeting.id,
        news_id=db.session.scalars(
            select(NewsItem.id).where(NewsItem.project_id == project.id)
        ).first(),
    )
    db.session.flush()
    world.ids["revision_id"] = meeting.revisions[0].id
    if demo["example_token"]:
        for endpoint in list(world.tokens):
            if endpoint.startswith("respond."):
                world.tokens[endpoint] = str(demo["example_token"])
    # "Check your answers" and the receipt page need a board that has answered.
    answered = db.session.scalar(
        select(Invitation)
        .join(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.survey_id == survey.id, Response.state == "submitted")
        .order_by(Invitation.id)
    )
    for endpoint in ("respond.check", "respond.done"):
        world.tokens[endpoint] = invitation_token(answered.token_nonce)
    # The results shared back: the demo's 2025 round, to a board and on the public page.
    if demo["round_2025"] is not None:
        world.tokens["shared_results.for_board"] = str(demo["example_token_prefilled"])
        world.overrides["shared_results.public_results"] = {"survey_id": demo["round_2025"].id}
    db.session.commit()
    return world


def pages(app: Flask, world: World) -> list[Page]:
    """Every GET route of the matrix, opened by someone allowed to see it."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        role = role_for(MATRIX[rule.endpoint])
        if role is None:
            continue
        url = route_url(app, rule.endpoint, world, role)
        found.append(Page(rule.endpoint, url, role, _submit_empty_form(rule.endpoint)))
    found.append(Page("errors.not_found", "/no-such-page", "nobody"))
    return found


def check_reflow(page: Any, width: int) -> str:
    page.set_viewport_size({"width": width, "height": 800})
    found = page.evaluate(OVERFLOW_JS)
    problems = list(found["problems"])
    if found["scrollWidth"] > found["width"]:
        widest = found["widest"] or {"name": "?", "right": found["scrollWidth"]}
        problems.insert(
            0, f"{found['scrollWidth']} px wide (widest: {widest['name']}, {widest['right']} px)"
        )
    return "; ".join(problems) or "ok"


def _check_page(page: Any, result: PageResult) -> None:
    """Title, axe at 1280 px, reflow at 320 px and at 200 % (640 CSS px)."""
    result.title = page.title()
    page.set_viewport_size({"width": 1280, "height": 800})
    result.axe = [f"{v['id']}: {v['help']}" for v in axe_violations(page)]
    result.reflow["320 px"] = check_reflow(page, 320)
    result.reflow["200 %"] = check_reflow(page, 640)
    page.set_viewport_size({"width": 1280, "height": 800})


def _submit_empty(page: Any, item: Page, html_file: Path) -> PageResult | None:
    """Send the page's form as it is; when the answer shows the form again with an error
    summary, that page is checked too (and must have focus on the summary's heading)."""
    button = page.locator("main form[method=post] button[type=submit]").first
    if button.count() == 0:
        return None
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.resource_type == "document"
    ) as answer:
        button.click()
    if not 200 <= answer.value.status < 500 or 300 <= answer.value.status < 400:
        return None
    page.wait_for_load_state("load")
    if page.locator(".error-summary").count() == 0:
        return None
    result = PageResult(f"{item.name}, invalid submit", item.url)
    html_file.write_text(answer.value.text(), encoding="utf-8")
    result.html_file = html_file.name
    try:  # autofocus lands when the page is first rendered
        page.wait_for_function(
            "document.activeElement && document.activeElement.id === 'error-summary-title'",
            timeout=3000,
        )
    except PlaywrightTimeout:
        result.other.append("focus is not on the error summary")
    _check_page(page, result)
    return result


def walk(
    contexts: dict[str, Any], base_url: str, todo: list[Page], folder: Path
) -> list[PageResult]:
    failed: list[str] = []  # resources (styles, icons, images) that did not load
    for context in contexts.values():
        context.pages[0].on(
            "response",
            lambda r: (
                failed.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )
    results = []
    for number, item in enumerate(todo):
        context = contexts[item.role]
        answer = context.request.get(base_url + item.url, max_redirects=0)
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue  # a download, a feed, a calendar file
        if 300 <= answer.status < 400:
            continue  # the page it leads to is checked on its own
        result = PageResult(item.name, item.url)
        html_file = folder / f"{number:03d}-{re.sub(r'[^a-z_]', '-', item.name)}.html"
        html_file.write_text(answer.text(), encoding="utf-8")
        result.html_file = html_file.name
        page = context.pages[0]
        failed.clear()
        page.goto(base_url + item.url)
        result.other.extend(f"did not load: {f}" for f in failed)
        _check_page(page, result)
        results.append(result)
        if item.submit:
            invalid = _submit_empty(page, item, html_file.with_suffix(".invalid.html"))
            if invalid is not None:
                results.append(invalid)
    _shared_titles(results)
    return results


def _shared_titles(results: list[PageResult]) -> None:
    by_title: dict[str, list[str]] = {}
    for result in results:
        by_title.setdefault(result.title, []).append(result.name)
    for result in results:
        others = [n for n in by_title[result.title] if n != result.name]
        if others:
            result.other.append(f"same title as {', '.join(others)}: {result.title}")


def run_vnu(folder: Path) -> dict[str, list[str]]:
    """The Nu HTML checker once over every saved page: file name -> error messages."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        raise FileNotFoundError("java or vnu.jar")
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        name = os.path.basename(message.get("url", ""))
        where = f"line {message.get('lastLine', '?')}"
        errors.setdefault(name, []).append(f"{where}: {message['message']}")
    return errors


def report(results: list[PageResult]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "| page | reflow 320 px | reflow 200 % | vnu errors | axe |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {cell(r.reflow['320 px'])} | {cell(r.reflow['200 %'])} | "
            f"{len(r.vnu)} | {len(r.axe) or 'ok'} |"
        )
    failing = [r for r in results if not r.passed]
    lines.append("")
    lines.append(f"{len(results)} pages, {len(failing)} with a problem.")
    for r in failing:
        for message in r.vnu + r.axe + r.other:
            lines.append(f"- {r.name}: {message}")
    return "\n".join(lines)
