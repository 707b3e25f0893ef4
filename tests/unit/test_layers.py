"""Imports point down the layers of DESIGN.md: web/api/cli/jobs -> services ->
repositories/mail -> models -> domain. A lower layer never imports a higher one."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "feedbackgis"
SHARED = {"errors", "i18n", "extensions", "rate_limits", "url_converters", "photo_responses"}  # small modules the top layers share

# What each package may import from the project besides itself.
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "geo": {"domain"},
    "models": {"domain"},
    "repositories": {"domain", "geo", "models"},
    "mail": {"domain", "models", "i18n"},
    "media": {"domain", "geo", "models", "errors"},
    "services": {"domain", "geo", "models", "repositories", "mail", "media", "errors", "i18n"},
    "schemas": {"domain", "geo", "models", "services", "errors", "i18n"},
    "jobs": {"domain", "models", "mail", "services", "repositories"} | SHARED,
    "api": {"domain", "geo", "models", "repositories", "schemas", "services"} | SHARED,
    "web": {"domain", "geo", "models", "schemas", "services"} | SHARED,
    "open311": {"domain", "geo", "models", "schemas", "services"} | SHARED,
    "cli": {"domain", "geo", "models", "repositories", "services", "jobs"} | SHARED,
}


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {name.split(".")[1] for name in names
                  if name.startswith("feedbackgis.") and name.count(".") >= 1}
    return found


def _modules():
    for package in sorted(ALLOWED):
        for path in sorted((PACKAGE / package).rglob("*.py")):
            yield package, path


@pytest.mark.parametrize(("package", "path"), list(_modules()),
                         ids=lambda value: str(value).rsplit("feedbackgis/", 1)[-1])
def test_module_imports_only_from_layers_below_it(package, path):
    wrong = _imported_packages(path) - ALLOWED[package] - {package}
    assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_every_package_has_a_place_in_the_layers():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"translations", "demo"} <= set(ALLOWED)
