"""The layout holds: no import cycles in `coordinator/` (counting imports inside functions),
demo code only where the CLI reaches it, and no demo code among the business rules."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "coordinator"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """Every coordinator module that module `name` in `path` imports, at module level or
    inside a function."""
    found: set[str] = set()
    package = name
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if candidate in known:
                    found.add(candidate)
                elif base in known:
                    found.add(base)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, name, known) for name, path in known.items()}


def a_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of imports (its modules in order, the first repeated last), or []."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(reversed(error.args[1]))
    return []


def test_the_import_graph_has_no_cycle() -> None:
    assert a_cycle(import_graph()) == []


def test_the_cycle_check_sees_a_cycle_through_a_function_local_import() -> None:
    assert sorted(set(a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}))) == ["a", "b", "c"]


def test_a_function_local_import_is_an_edge(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from coordinator.services import audit\n")
    assert imports_of(source, "m", {"coordinator.services.audit": source}) == {
        "coordinator.services.audit"
    }


def test_only_the_cli_imports_the_demo() -> None:
    importers = {
        name
        for name, targets in import_graph().items()
        if any(t == "coordinator.demo" or t.startswith("coordinator.demo.") for t in targets)
        and not name.startswith("coordinator.demo")
    }
    assert importers <= {"coordinator.cli"}


def test_no_demo_code_among_the_services() -> None:
    assert not [p for p in (PACKAGE / "services").rglob("*.py") if "demo" in p.name]
