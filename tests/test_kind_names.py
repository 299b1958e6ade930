"""A question kind is one unit: no file outside a kind's own module and template names a
kind, so the rest of the app can only ask the kind (services/surveys/kinds/)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from coordinator.services.surveys.kinds import all_kinds

ROOT = Path(__file__).resolve().parent.parent
SEARCHED = [
    *sorted((ROOT / "coordinator").rglob("*.py")),
    *sorted((ROOT / "templates").rglob("*.html")),
    *sorted((ROOT / "templates").rglob("*.txt")),
    *sorted((ROOT / "static").rglob("*.js")),
]


def names_in(path: Path, names: set[str]) -> set[str]:
    """The kind names that `path` holds as a string: a Python string constant, or a quoted
    string in a template or script."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return {
            node.value
            for node in ast.walk(ast.parse(source, str(path)))
            if isinstance(node, ast.Constant) and node.value in names
        }
    return {m[1] for m in re.finditer(r"""["']([a-z_]+)["']""", source) if m[1] in names}


def own_files(kind: object) -> set[Path]:
    return {
        Path(inspect.getfile(type(kind))).resolve(),
        (ROOT / "templates" / kind.template).resolve(),  # type: ignore[attr-defined]
    }


def test_no_file_outside_a_kind_names_it() -> None:
    found = []
    for kind in all_kinds():
        allowed = own_files(kind)
        for path in SEARCHED:
            if path.resolve() not in allowed and names_in(path, {kind.name}):
                found.append(f"{path.relative_to(ROOT)} names {kind.name!r}")
    assert found == []


def test_the_search_finds_a_kind_named_in_code_and_in_templates(tmp_path: Path) -> None:
    code = tmp_path / "view.py"
    code.write_text('if question.kind == "long_text":\n    pass\n# long_text in a comment\n')
    page = tmp_path / "page.html"
    page.write_text("{% if q.kind in ('long_text', 'short_text') %}{% endif %} long_text")
    assert names_in(code, {"long_text", "short_text"}) == {"long_text"}
    assert names_in(page, {"long_text", "short_text"}) == {"long_text", "short_text"}


def test_every_kind_has_a_module_and_a_template_of_its_own() -> None:
    modules = [Path(inspect.getfile(type(k))).stem for k in all_kinds()]
    assert modules == [k.name for k in all_kinds()]
    for kind in all_kinds():
        assert (ROOT / "templates" / kind.template).is_file(), kind.name
