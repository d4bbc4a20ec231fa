"""The packages depend on each other one way: core knows no domain area, and a lower area never imports a
higher one. Read from the source (every import, also those inside functions), so nothing is run."""

import ast
from pathlib import Path

import digibuddy

PACKAGE = Path(digibuddy.__file__).parent
# What core may import of the project: itself and the two modules every area shares.
CORE_MAY_USE = {"core", "extensions", "settings"}
# The domain areas, lowest first: an area may import those before it, never those after it.
AREAS = (
    "reference",
    "audit",
    "notifications",
    "accounts",
    "network",
    "requests",
    "volunteers",
    "matching",
    "scheduling",
    "outreach",
    "outcomes",
    "events",
    "privacy",
    "reports",
    "practices",
    "admin",
    "public",
    "demo",
    "scheduler",
    "health",
)


def project_imports(path: Path) -> set[str]:
    """The top-level names under `digibuddy` that a module imports ("core", "requests", ...)."""
    module = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = module[:-1]  # the package a relative import starts from (also for __init__.py)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                target = base + (node.module.split(".") if node.module else [])
                targets = [target] if node.module else [base + [alias.name] for alias in node.names]
            else:
                targets = [(node.module or "").split(".")]
        elif isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        else:
            continue
        found.update(t[1] for t in targets if len(t) > 1 and t[0] == "digibuddy")
    return found


def _area_files(area: str):
    return sorted((PACKAGE / area).rglob("*.py"))


def test_core_imports_no_domain_area():
    wrong = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _area_files("core")
        for name in project_imports(path) - CORE_MAY_USE
    }
    assert not wrong, "\n".join(sorted(wrong))


def test_every_package_is_placed_in_the_order():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == {*AREAS, "core"}


def test_lower_areas_never_import_higher_ones():
    rank = {area: index for index, area in enumerate(AREAS)}
    wrong = {
        f"{path.relative_to(PACKAGE)} imports {imported}"
        for area in AREAS
        for path in _area_files(area)
        for imported in project_imports(path) & rank.keys()
        if rank[imported] > rank[area]
    }
    assert not wrong, "\n".join(sorted(wrong))
