"""Import rules over the application's source, read with ast (nothing is imported).

Whoosh is an implementation detail of search/engine/whoosh/: the rest of the code reaches
it through the engine protocol (search.engine.get_engine()). The few modules that must
name Whoosh or the Whoosh engine's modules are listed below, each with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("articles", "portal", "search")
WHOOSH_ENGINE = "search/engine/whoosh/"

# Modules outside search/engine/whoosh/ allowed to import the whoosh library.
WHOOSH_IMPORTERS = {
    # The analyzer is a Whoosh Tokenizer/Composable pickled into every index's schema under
    # this module path: moving it would stop indexes on disk from opening.
    "search/analysis.py": "the Chinese analyzer is a Whoosh analyzer, pickled by path",
    # Haystack's Whoosh backend subclass: its build_schema() hook returns Whoosh fields.
    "search/backends.py": "Haystack's build_schema() hook must return a Whoosh schema",
}

# Modules outside search/engine/ allowed to import search.engine.whoosh or
# search.engine.elasticsearch (everyone else goes through search.engine).
ENGINE_IMPORTERS = {
    "search/backends.py": "the Haystack Whoosh backend hands out the Whoosh engine",
    "search/codec.py": "the old path of CompactCodec, pickled in indexes on disk",
    "search/elasticsearch_backend.py": "the old HAYSTACK_CONNECTIONS ENGINE path",
}


def sources() -> list[Path]:
    return sorted(p for app in APPS for p in (ROOT / app).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module path an import statement names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_only_the_whoosh_engine_imports_whoosh():
    offenders = {
        rel(path)
        for path in sources()
        if not rel(path).startswith(WHOOSH_ENGINE)
        and any(name == "whoosh" or name.startswith("whoosh.") for name in imported(path))
    }
    assert offenders == set(WHOOSH_IMPORTERS)


def test_engines_are_reached_through_search_engine():
    engines = ("search.engine.whoosh", "search.engine.elasticsearch")
    offenders = {
        rel(path)
        for path in sources()
        if not rel(path).startswith("search/engine/")
        and any(name == e or name.startswith(e + ".") for name in imported(path) for e in engines)
    }
    assert offenders == set(ENGINE_IMPORTERS)


@pytest.mark.parametrize("source", ["from whoosh.query import Term", "import whoosh.index"])
def test_the_rule_sees_whoosh_imports(tmp_path, monkeypatch, source):
    module = ROOT / "search" / "_rule_probe.py"
    monkeypatch.setattr("tests.unit.test_import_rules.sources", lambda: [module])
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    with pytest.raises(AssertionError):
        test_only_the_whoosh_engine_imports_whoosh()
