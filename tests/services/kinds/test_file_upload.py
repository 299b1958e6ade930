"""Attachments: checked by content as project documents are, within limits per file and
per question, stored under a generated key, removed only when the removal is committed."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinator.extensions import db
from coordinator.models import AnswerFile, Question
from coordinator.services.projects.storage import storage
from coordinator.services.surveys.kinds import kind_named
from coordinator.services.surveys.kinds.answers import AnswerInput, StoredFile, Upload
from coordinator.services.surveys.responses import save_answers
from tests.factories import PDF
from tests.services.kinds.support import NOW, WITH_DATABASE, comments, reread, survey_with

FILES = kind_named("file_upload")
LIMITS = {"max_files": 2, "max_file_mb": 1, "max_total_mb": 1}


def _question(**limits):
    return Question(number="1a", text="Bifoga", kind="file_upload", settings=LIMITS | limits)


def _odt() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return data.getvalue()


def test_files_are_checked_by_content_and_limits(app):
    question = _question()
    question.id = 5
    answer = AnswerInput(
        files=[StoredFile(1, "gammal.pdf", 900 * 1024)],
        uploads=[
            Upload("plan.odt", _odt()),
            Upload("skript.pdf", b"<script>alert(1)</script>"),
            Upload("stor.pdf", PDF + b"x" * (1024 * 1024)),
            Upload("tredje.pdf", PDF),
        ],
    )
    accepted, errors = FILES.accept(question, answer)
    assert [u.filename for u in accepted.uploads] == ["plan.odt"]
    message = errors["q5_files"]
    assert "Filen skript.pdf laddades inte upp: Filtypen är inte tillåten" in message
    assert "Filen stor.pdf är för stor (1,0 MB). Högst 1 MB per fil." in message
    assert "Filen tredje.pdf laddades inte upp: fråga 1a tar högst 2 filer." in message
    answer.files = [StoredFile(1, "gammal.pdf", 1024 * 1024 - 100)]
    accepted, errors = FILES.accept(question, answer)
    assert [u.filename for u in accepted.uploads] == ["tredje.pdf"]
    assert (
        "plan.odt laddades inte upp: filerna i fråga 1a får vara högst 1 MB" in errors["q5_files"]
    )


def test_at_most_so_many_files(app):
    question = _question(max_files=1, max_total_mb=5)
    question.id = 5
    accepted, errors = FILES.accept(
        question, AnswerInput(uploads=[Upload("a.pdf", PDF), Upload("b.pdf", PDF)])
    )
    assert [u.filename for u in accepted.uploads] == ["a.pdf"]
    assert "b.pdf laddades inte upp: fråga 1a tar högst 1 filer." in errors["q5_files"]


def test_the_builder_limits(app):
    assert FILES.clean_settings({"max_files": "3", "max_file_mb": "", "max_total_mb": "20"}) == {
        "max_files": 3,
        "max_file_mb": 10,
        "max_total_mb": 20,
    }
    with pytest.raises(Exception, match="från 1 till 10"):
        FILES.clean_settings({"max_files": "11"})
    with pytest.raises(Exception, match="lägre än gränsen per fil"):
        FILES.clean_settings({"max_file_mb": "5", "max_total_mb": "2"})


@WITH_DATABASE
@given(data=st.binary(min_size=1, max_size=200), comment=comments)
def test_a_file_is_stored_and_read_back_exactly_or_refused_and_nothing_else_lost(
    app, data, comment
):
    question, text, response = survey_with(_question())
    content = PDF + data
    result = save_answers(
        response,
        {
            question.id: AnswerInput(uploads=[Upload("strategi.pdf", content)]),
            text.id: AnswerInput(text=comment),
        },
        None,
        NOW,
    )
    assert result.errors == {}
    stored = reread(response)
    [file] = stored[question.id].files
    row = db.session.get(AnswerFile, file.id)
    with storage().open(row.storage_key) as saved:
        assert saved.read() == content
    assert (file.filename, file.size, row.content_type) == (
        "strategi.pdf",
        len(content),
        "application/pdf",
    )
    refused = save_answers(
        response,
        {
            question.id: AnswerInput(uploads=[Upload("x.pdf", b"MZ" + data)]),
            text.id: AnswerInput(text=comment + "!"),
        },
        None,
        NOW,
    )
    assert set(refused.errors) == {f"q{question.id}_files"}
    again = reread(response)
    assert again[question.id].files == stored[question.id].files
    assert again[text.id].text == (comment + "!")


def test_a_removed_file_leaves_storage_only_when_the_removal_is_committed(app):
    question, _, response = survey_with(_question())
    save_answers(response, {question.id: AnswerInput(uploads=[Upload("a.pdf", PDF)])}, None, NOW)
    db.session.commit()
    file = db.session.scalar(db.select(AnswerFile))
    key, path = file.storage_key, storage()._path(file.storage_key)
    removal = {
        question.id: AnswerInput(files=reread(response)[question.id].files, remove=[file.id])
    }
    save_answers(response, removal, None, NOW)
    db.session.rollback()
    assert path.exists() and db.session.get(AnswerFile, file.id) is not None
    save_answers(response, removal, None, NOW)
    db.session.commit()
    assert not path.exists() and db.session.scalar(db.select(AnswerFile)) is None
    assert key


def test_a_dropped_draft_of_changes_takes_its_copies_of_the_files_with_it(app):
    from coordinator.services.surveys.responses import (
        discard_changes,
        submit_response,
        working_answers,
    )

    question, text, response = survey_with(_question())
    save_answers(response, {question.id: AnswerInput(uploads=[Upload("a.pdf", PDF)])}, None, NOW)
    assert submit_response(response, NOW) == {}
    db.session.commit()
    save_answers(response, {text.id: AnswerInput(text="Ändrat")}, None, NOW)
    db.session.commit()
    [copy] = working_answers(response)[question.id].files
    path = storage()._path(db.session.get(AnswerFile, copy.id).storage_key)
    assert path.exists() and len(list(db.session.scalars(db.select(AnswerFile)))) == 2
    discard_changes(response, NOW)
    db.session.commit()
    assert not path.exists()
    [kept] = db.session.scalars(db.select(AnswerFile))
    assert storage()._path(kept.storage_key).exists()


def test_a_file_name_is_isolated_from_the_text_around_it(app):
    question = _question()
    answer = AnswerInput(files=[StoredFile(1, "\u202eabc.pdf", 2048), StoredFile(2, "b.pdf", 10)])
    assert FILES.plain_text(question, answer) == "\u2068\u202eabc.pdf\u2069 (2 kB)\nb.pdf (1 kB)"
