"""The workshop handout ("Workshopunderlag"): the survey's results as a tagged A4 PDF.

A cover (the survey, its deadline, who answered on time or late and how many have not),
then one section per question with its chart, its counts and every free-text answer
under the name of the organisation that wrote it, and last the boards that have not
answered. The numbers come from `summarise_survey` and the statuses from the follow-up
dashboard, the sources of the results page and the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from flask_babel import force_locale

from coordinator.models import Survey
from coordinator.services.results.charts import summary_charts
from coordinator.services.results.pdf import DOCUMENT_LANGUAGE, render_html, write_pdf
from coordinator.services.results.summary import Selection, response_heads, summarise_survey
from coordinator.services.surveys.followup import STATUS_DRAFT, build_dashboard

# The dashboard's statuses in the handout's Swedish.
STATUS_LABELS = {
    "on_time": "Svarat i tid",
    "late": "Svarat sent",
    "draft": "Utkast, inte inskickat",
    "opened": "Har öppnat enkäten",
    "invited": "Inbjuden",
    "none": "Inte inbjuden",
}


@dataclass
class OrganisationLine:
    county_code: str
    name: str
    status: str
    submitted_at: datetime | None = None
    respondents: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _organisations(survey: Survey, selection: Selection) -> tuple[list[OrganisationLine], ...]:
    """(answered, not answered): every organisation with a submitted answer, and every
    county board or invited organisation without one, in county-code order."""
    heads = response_heads(survey, selection)
    by_organisation: dict[int, list[str]] = {}
    latest: dict[int, datetime] = {}
    for head in heads:
        names = by_organisation.setdefault(head.organisation_id, [])
        if head.respondent and head.respondent not in names:
            names.append(head.respondent)
        known = latest.get(head.organisation_id)
        if head.submitted_at and (known is None or head.submitted_at > known):
            latest[head.organisation_id] = head.submitted_at
    answered, silent = [], []
    for row in build_dashboard(survey).rows:
        line = OrganisationLine(
            row.organisation.county_code or "", row.organisation.name, row.status
        )
        if row.answered:
            line.respondents = by_organisation.get(row.organisation.id, [])
            line.submitted_at = latest.get(row.organisation.id)
            answered.append(line)
        elif row.invited or row.organisation.county_code or row.status == STATUS_DRAFT:
            silent.append(line)
    return answered, silent


def handout_html(survey: Survey, selection: Selection, now: datetime) -> str:
    with force_locale(DOCUMENT_LANGUAGE):
        summary = summarise_survey(survey, selection)
        charts = summary_charts(summary.questions, wrap=True)
    answered, silent = _organisations(survey, selection)
    return render_html(
        "results/pdf/handout.html",
        survey=survey,
        summary=summary,
        charts=charts,
        selection=selection,
        answered=answered,
        silent=silent,
        on_time=sum(1 for line in answered if line.status == "on_time"),
        late=sum(1 for line in answered if line.status == "late"),
        now=now,
    )


def write_handout(
    survey: Survey, target: IO[bytes], *, now: datetime, selection: Selection | None = None
) -> None:
    """The handout of the selected answers (submitted ones by default) as PDF."""
    write_pdf(handout_html(survey, selection or Selection(), now), target)
