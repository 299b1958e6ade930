"""Attachments: one or more files (PDF, Word, Excel, PowerPoint, OpenDocument, images),
checked by their content as the project's documents are, within a size limit per file and
per question, and kept in the same storage under a generated key.

A file is part of the draft as soon as it is uploaded; the respondent can remove it and
add others until the survey closes. A file that fails the check is refused with a message
at the field, and the rest of the form is saved as usual."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from werkzeug.datastructures import FileStorage

from coordinator.bidi import isolate_text
from coordinator.models import AnswerFile
from coordinator.services.errors import DocumentError, SurveyError
from coordinator.services.mail.outbox import absolute_url
from coordinator.services.projects.documents import detect_type, safe_filename
from coordinator.services.projects.storage import delete_after_commit, storage
from coordinator.services.surveys.kinds.answers import (
    AnswerInput,
    StoredFile,
    Upload,
    field_name,
    posted_list,
    write_answer,
)
from coordinator.services.surveys.kinds.base import ExportValue, Link, QuestionKind
from coordinator.services.surveys.kinds.summaries import FilesTally, Tally

if TYPE_CHECKING:
    from coordinator.models import Answer, Question

MB = 1024 * 1024
DEFAULTS = {"max_files": 3, "max_file_mb": 10, "max_total_mb": 20}
MOST = {"max_files": 10, "max_total_mb": 100}


def file_size(size: int) -> str:
    """ "1,2 MB", "30 kB"."""
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"


def describe(file: StoredFile | Upload) -> str:
    """ "strategi.pdf (1,2 MB)", the name isolated from the text around it."""
    size = file.size if isinstance(file, StoredFile) else len(file.data)
    return f"{isolate_text(file.filename)} ({file_size(size)})"


def _whole(values: Mapping[str, Any], name: str, least: int, most: int) -> int:
    text = str(values.get(name) or "").strip() or str(DEFAULTS[name])
    if not text.isdigit() or not least <= int(text) <= most:
        raise SurveyError(
            _l("Skriv ett heltal från %(least)s till %(most)s", least=least, most=most), name
        )
    return int(text)


class FileUpload(QuestionKind):
    name = "file_upload"
    label = _l("Bilagor (filer)")
    export_label = "Bilagor"
    settings_fields: ClassVar[tuple[str, ...]] = ("max_files", "max_file_mb", "max_total_mb")
    sheet_headers = ("Fil", "Storlek")
    sheet_widths = (40, 12)
    stores_files = True

    def clean_settings(
        self, values: Mapping[str, Any], current: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        largest = current_app.config["UPLOAD_MAX_BYTES"] // MB
        settings = {
            "max_files": _whole(values, "max_files", 1, MOST["max_files"]),
            "max_file_mb": _whole(values, "max_file_mb", 1, largest),
            "max_total_mb": _whole(values, "max_total_mb", 1, MOST["max_total_mb"]),
        }
        if settings["max_total_mb"] < settings["max_file_mb"]:
            raise SurveyError(
                _l("Gränsen för alla filer kan inte vara lägre än gränsen per fil"),
                "max_total_mb",
            )
        return settings

    def settings_data(self, question: Question) -> dict[str, Any]:
        return {name: str(value) for name, value in self.limits(question).items()}

    def limits(self, question: Question) -> dict[str, int]:
        settings = question.settings or {}
        return {name: int(settings.get(name, default)) for name, default in DEFAULTS.items()}

    def max_file_bytes(self, question: Question) -> int:
        return self.limits(question)["max_file_mb"] * MB

    def parse(self, question: Question, form: Any) -> AnswerInput:
        uploads = []
        getlist = getattr(form, "getlist", None)
        for item in getlist(field_name(question, "files")) if getlist else []:
            if isinstance(item, FileStorage) and item.filename:
                uploads.append(Upload(filename=item.filename, data=item.read()))
        remove = [int(v) for v in posted_list(form, field_name(question, "remove")) if v.isdigit()]
        return AnswerInput(uploads=uploads, remove=remove)

    def carry_over(self, posted: AnswerInput, stored: AnswerInput | None) -> AnswerInput:
        return replace(posted, files=list(stored.files)) if stored else posted

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        return AnswerInput(
            files=[f for f in answer.files if f.id not in answer.remove],
            uploads=list(answer.uploads),
        )

    def accept(
        self, question: Question, answer: AnswerInput
    ) -> tuple[AnswerInput | None, dict[str, str]]:
        """Every upload that passes the checks; a message naming each that does not."""
        limits = self.limits(question)
        kept = self.normalise(question, answer).files
        count, total = len(kept), sum(f.size for f in kept)
        accepted, problems = [], []
        for upload in answer.uploads:
            problem = self._problem(question, upload, limits, count, total)
            if problem:
                problems.append(problem)
                continue
            accepted.append(upload)
            count, total = count + 1, total + len(upload.data)
        errors = {field_name(question, "files"): " ".join(problems)} if problems else {}
        return replace(answer, uploads=accepted), errors

    def _problem(
        self, question: Question, upload: Upload, limits: dict[str, int], count: int, total: int
    ) -> str | None:
        name = upload.filename
        if len(upload.data) > limits["max_file_mb"] * MB:
            return _(
                "Filen %(name)s är för stor (%(size)s). Högst %(limit)s MB per fil.",
                name=name,
                size=file_size(len(upload.data)),
                limit=limits["max_file_mb"],
            )
        try:
            detect_type(upload.data, name)
        except DocumentError as error:
            return _("Filen %(name)s laddades inte upp: %(reason)s", name=name, reason=error)
        if count >= limits["max_files"]:
            return _(
                "Filen %(name)s laddades inte upp: fråga %(number)s tar högst %(n)s filer.",
                name=name,
                number=question.number,
                n=limits["max_files"],
            )
        if total + len(upload.data) > limits["max_total_mb"] * MB:
            return _(
                "Filen %(name)s laddades inte upp: filerna i fråga %(number)s får vara "
                "högst %(limit)s MB tillsammans.",
                name=name,
                number=question.number,
                limit=limits["max_total_mb"],
            )
        return None

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        return self.accept(question, answer)[1]

    def same(
        self, question: Question, given: AnswerInput | None, stored: AnswerInput | None
    ) -> bool:
        if given is None:
            return True
        stored_ids = {f.id for f in stored.files} if stored else set()
        return not given.uploads and not stored_ids.intersection(given.remove)

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if not self.is_empty(question, answer):
            return {}
        return {
            field_name(question, "files"): _(
                "Lägg till minst en fil i fråga %(number)s", number=question.number
            )
        }

    def store(self, question: Question, answer: AnswerInput, row: Answer, now: datetime) -> None:
        write_answer(row, AnswerInput())
        for stored in [f for f in row.files if f.id in answer.remove]:
            row.files.remove(stored)  # its bytes go when the removal commits (below)
        for upload in answer.uploads:
            content_type = detect_type(upload.data, upload.filename)
            row.files.append(
                AnswerFile(
                    filename=safe_filename(upload.filename, content_type),
                    content_type=content_type,
                    size=len(upload.data),
                    storage_key=storage().save(upload.data),
                    uploaded_at=now,
                )
            )

    def copy_answer(self, source: Answer, target: Answer) -> None:
        """Each file copied too: every answer row owns the bytes of its files."""
        store = storage()
        for file in source.files:
            with store.open(file.storage_key) as stored:
                key = store.save(stored.read())
            target.files.append(
                AnswerFile(
                    filename=file.filename,
                    content_type=file.content_type,
                    size=file.size,
                    storage_key=key,
                    uploaded_at=file.uploaded_at,
                )
            )

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        if answer is None:
            return ""
        lines = [describe(f) for f in answer.files if f.id not in answer.remove]
        lines += [_("Ny fil, inte sparad: %(file)s", file=describe(u)) for u in answer.uploads]
        return "\n".join(lines)

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return FilesTally(question, collect_texts)

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        return ["; ".join(describe(f) for f in answer.files) if answer else ""]

    def sheet_rows(
        self, question: Question, answer: AnswerInput | None
    ) -> list[tuple[ExportValue, ExportValue]]:
        if answer is None or not answer.files:
            return [("", "")]
        return [
            (
                Link(f.filename, absolute_url("results.download_attachment", file_id=f.id)),
                file_size(f.size),
            )
            for f in answer.files
        ]


@event.listens_for(AnswerFile, "after_delete")
def _forget_bytes(mapper: Any, connection: Any, file: AnswerFile) -> None:
    """A file removed from an answer, or removed with its answer (a draft of changes
    submitted or dropped): its bytes leave storage once that commits."""
    delete_after_commit(file.storage_key)
