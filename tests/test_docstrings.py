"""Every public name a user reaches from ``aioclubhouse`` or ``aioclubhouse.rooms`` says
what it is: classes, functions, methods and properties have a docstring (an override may
inherit its base's), and every public field of a model is described by an attribute
docstring under it or by name in the docstring of its class or a base."""

from __future__ import annotations

import ast
import enum
import inspect
import re
import textwrap
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import Any

import attrs
import pytest

import aioclubhouse
import aioclubhouse.rooms

MODULES = (aioclubhouse, aioclubhouse.rooms)


def public_classes() -> Iterator[tuple[str, type[Any]]]:
    for module in MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value):
                yield f"{module.__name__}.{name}", value


def public_functions() -> Iterator[tuple[str, Any]]:
    for module in MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value):
                yield f"{module.__name__}.{name}", value


def is_ours(cls: type[Any]) -> bool:
    return cls.__module__.split(".")[0] == "aioclubhouse"


def undocumented_members(cls: type[Any]) -> list[str]:
    """Public methods and properties of ``cls`` (defined by the package) without a docstring."""
    missing = []
    for name in dir(cls):
        if name.startswith("_"):
            continue
        owner = next((klass for klass in cls.__mro__ if name in vars(klass)), None)
        if owner is None or not is_ours(owner):
            continue
        raw = vars(owner)[name]
        if isinstance(raw, property):
            documented = bool(inspect.getdoc(raw))
        elif isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
            documented = bool(inspect.getdoc(getattr(cls, name)))  # inherits a base's
        else:
            continue  # data: fields are checked below
        if not documented:
            missing.append(name)
    return missing


@cache
def attribute_docstrings(cls: type[Any]) -> frozenset[str]:
    """Names in the class body of ``cls`` followed by a string (an attribute docstring)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset()
    (body,) = ast.parse(source).body
    assert isinstance(body, ast.ClassDef)
    names = set()
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            names.add(statement.target.id)
    return frozenset(names)


def _self_attribute(statement: ast.stmt) -> str | None:
    targets = (
        statement.targets
        if isinstance(statement, ast.Assign)
        else [statement.target]
        if isinstance(statement, ast.AnnAssign)
        else []
    )
    for target in targets:
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            return target.attr
    return None


@cache
def instance_attributes(cls: type[Any]) -> dict[str, bool]:
    """Public attributes ``cls.__init__`` sets on ``self``: whether a docstring follows."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    (body,) = ast.parse(source).body
    assert isinstance(body, ast.ClassDef)
    found: dict[str, bool] = {}
    for function in body.body:
        if not (isinstance(function, ast.FunctionDef) and function.name == "__init__"):
            continue
        statements = function.body
        for statement, following in zip(statements, [*statements[1:], None], strict=True):
            name = _self_attribute(statement)
            if name is None or name.startswith("_"):
                continue
            documented = (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            )
            found[name] = found.get(name, False) or documented
    return found


def undocumented_instance_attributes(cls: type[Any]) -> list[str]:
    mro = [klass for klass in cls.__mro__ if is_ours(klass)]
    documented: dict[str, bool] = {}
    for klass in mro:
        for name, has_doc in instance_attributes(klass).items():
            documented[name] = documented.get(name, False) or has_doc
    return sorted(
        name
        for name, has_doc in documented.items()
        if not has_doc
        and not any(name in vars(klass) for klass in mro)  # a property or field: checked above
        and not any(re.search(rf"\b{name}\b", klass.__doc__ or "") for klass in mro)
    )


def undocumented_fields(cls: type[Any]) -> list[str]:
    if not attrs.has(cls):
        return []
    missing = []
    for field in attrs.fields(cls):
        name = field.alias if field.name.startswith("_") else field.name
        if name.startswith("_"):
            continue
        mro = [klass for klass in cls.__mro__ if is_ours(klass)]
        named = any(re.search(rf"\b{name}\b", klass.__doc__ or "") for klass in mro)
        if not named and not any(field.name in attribute_docstrings(klass) for klass in mro):
            missing.append(name)
    return missing


@pytest.mark.parametrize(("name", "cls"), list(public_classes()))
def test_every_public_class_and_its_members_are_documented(name: str, cls: type[Any]) -> None:
    doc = cls.__doc__ or ""
    assert doc.strip() and not doc.startswith(f"{cls.__name__}("), f"{name} has no docstring"
    if issubclass(cls, enum.Enum):
        return
    assert undocumented_members(cls) == [], f"{name}: methods or properties without a docstring"
    assert undocumented_fields(cls) == [], f"{name}: fields described nowhere"
    assert undocumented_instance_attributes(cls) == [], f"{name}: attributes described nowhere"


@pytest.mark.parametrize(("name", "function"), list(public_functions()))
def test_every_public_function_is_documented(name: str, function: Any) -> None:
    assert inspect.getdoc(function), f"{name} has no docstring"


def test_the_walk_sees_what_it_checks() -> None:
    # A walk that found nothing would pass: the room's members are among what it sees.
    classes = dict(public_classes())
    assert "aioclubhouse.rooms.Room" in classes and len(classes) > 40
    room = classes["aioclubhouse.rooms.Room"]
    assert {"speakers", "listeners", "lower_hand"} <= set(dir(room))

    class Bare:
        def method(self) -> None:
            pass

        @property
        def value(self) -> int:
            return 1

    class Holder:
        def __init__(self) -> None:
            self.told = 1
            """Documented."""
            self.untold = 2

    Bare.__module__ = "aioclubhouse.example"
    assert undocumented_members(Bare) == ["method", "value"]
    assert instance_attributes(Holder) == {"told": True, "untold": False}


def test_a_module_listing_is_complete() -> None:
    for module in MODULES:
        assert isinstance(module, ModuleType)
        assert all(hasattr(module, name) for name in module.__all__)
