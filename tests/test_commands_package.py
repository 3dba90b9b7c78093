"""`incident.commands` gives every command by name, each from its area's module.

The package imports an area's module when one of its commands is first asked for
(`incident/commands/__init__.py`); the names it gives, the modules it imports them
from and what type checkers read must stay one list.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from incident import commands

PACKAGE = Path(commands.__file__)


def imported_for_type_checkers() -> dict[str, str]:
    """Each name under the package's `if TYPE_CHECKING:`, with the module it names."""
    tree = ast.parse(PACKAGE.read_text(encoding="utf-8"))
    [block] = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    return {
        alias.name: node.module.rsplit(".", 1)[1]
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names
    }


def test_the_areas_the_exports_and_the_type_checkers_imports_agree() -> None:
    areas = {name: area for area, names in commands.AREAS.items() for name in names}
    assert imported_for_type_checkers() == areas
    assert sorted(commands.__all__) == sorted(["CommandError", *areas])
    assert sorted(dir(commands)) == sorted(commands.__all__)
    # Importing a module sets it on its package: a command named as its area's module
    # would be that module, once the module is imported, not the command.
    assert set(areas).isdisjoint(commands.AREAS)


@pytest.mark.parametrize("name", sorted(commands.__all__))
def test_each_name_is_its_area_module_s_own(name: str) -> None:
    given = getattr(commands, name)
    if name == "CommandError":
        assert given is importlib.import_module("incident.core.errors").CommandError
        return
    area = next(area for area, names in commands.AREAS.items() if name in names)
    assert given is getattr(importlib.import_module(f"incident.commands.{area}"), name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'no_such_command'"):
        commands.no_such_command  # noqa: B018
