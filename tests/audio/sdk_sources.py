"""The Python API of the real Agora packages, read from their files and never imported.

Importing ``agora`` switches off TLS verification for the whole process and tries to
download its native library, so the sources are only parsed (``ast``). They are found
in an installed distribution (through ``importlib.metadata``, which executes nothing)
or, since neither package installs on Linux offline, in the archives the dev setup
downloads: ``make`` puts them in ``.venv/agora-api`` (``$AIOCLUBHOUSE_AGORA_API``
overrides the folder).
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import tarfile
import zipfile
from pathlib import Path

import attrs

ARCHIVE_FOLDER = Path(
    os.environ.get(
        "AIOCLUBHOUSE_AGORA_API", Path(__file__).resolve().parents[2] / ".venv" / "agora-api"
    )
)


@attrs.frozen
class Signature:
    """How a function may be called positionally (``self`` left out)."""

    names: tuple[str, ...]
    required: int
    varargs: bool

    def accepts(self, count: int) -> bool:
        return self.required <= count and (self.varargs or count <= len(self.names))

    @classmethod
    def of(cls, function: ast.FunctionDef | ast.AsyncFunctionDef, *, method: bool) -> Signature:
        arguments = function.args
        names = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
        if method and names:
            names = names[1:]
        required = len(names) - len(arguments.defaults)
        return cls(tuple(names), max(required, 0), arguments.vararg is not None)


@attrs.define
class ClassApi:
    name: str
    bases: tuple[str, ...]
    methods: dict[str, Signature] = attrs.field(factory=dict)
    fields: dict[str, object] = attrs.field(factory=dict)
    """Class-level names (dataclass fields, enum members) with their literal value, if any."""


@attrs.define
class ModuleApi:
    classes: dict[str, ClassApi] = attrs.field(factory=dict)
    functions: dict[str, Signature] = attrs.field(factory=dict)
    names: set[str] = attrs.field(factory=set)
    """Every module-level name: classes, functions and assignments."""


@attrs.define
class PackageApi:
    """Modules by dotted name, and every class by name across the package."""

    modules: dict[str, ModuleApi]

    def find_class(self, name: str) -> ClassApi | None:
        for module in self.modules.values():
            if name in module.classes:
                return module.classes[name]
        return None

    def method(self, cls: ClassApi, name: str) -> Signature | None:
        """``name`` on ``cls`` or on one of its bases defined in the package."""
        if name in cls.methods:
            return cls.methods[name]
        for base in cls.bases:
            parent = self.find_class(base)
            if parent is not None and parent is not cls:
                found = self.method(parent, name)
                if found is not None:
                    return found
        return None


def read_module(source: str) -> ModuleApi:
    tree = ast.parse(source)
    module = ModuleApi()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            module.classes[node.name] = read_class(node)
            module.names.add(node.name)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            module.functions[node.name] = Signature.of(node, method=False)
            module.names.add(node.name)
        elif isinstance(node, ast.Assign):
            module.names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            module.names.add(node.target.id)
    return module


def read_class(node: ast.ClassDef) -> ClassApi:
    bases = tuple(b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases)
    cls = ClassApi(node.name, bases)
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            cls.methods[item.name] = Signature.of(item, method=True)
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            cls.fields[item.target.id] = _literal(item.value)
        elif isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name):
                    cls.fields[target.id] = _literal(item.value)
    return cls


def _literal(node: ast.expr | None) -> object:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def read_package(sources: dict[str, str]) -> PackageApi:
    return PackageApi({name: read_module(text) for name, text in sources.items()})


def module_name(path: str) -> str | None:
    """``agora/rtc/agora_base.py`` -> ``agora.rtc.agora_base``; None for non-Python files."""
    if not path.endswith(".py"):
        return None
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def installed_sources(distribution: str) -> dict[str, str] | None:
    """The ``.py`` files of an installed distribution, by module name, without importing it."""
    try:
        files = importlib.metadata.files(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    sources: dict[str, str] = {}
    for file in files or ():
        name = module_name(file.as_posix())
        if name is not None:
            sources[name] = file.read_text(encoding="utf-8")
    return sources or None


def archived_sources(pattern: str) -> dict[str, str] | None:
    """The ``.py`` files of the first archive matching ``pattern`` (an sdist or a wheel)."""
    for archive in sorted(ARCHIVE_FOLDER.glob(pattern)):
        sources: dict[str, str] = {}
        if archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as bundle:
                for member in bundle.getmembers():
                    inner = member.name.split("/", 1)[1] if "/" in member.name else ""
                    name = module_name(inner)
                    handle = bundle.extractfile(member) if member.isfile() else None
                    if name is not None and handle is not None:
                        sources[name] = handle.read().decode("utf-8")
        else:
            with zipfile.ZipFile(archive) as bundle:
                for inner in bundle.namelist():
                    name = module_name(inner)
                    if name is not None:
                        sources[name] = bundle.read(inner).decode("utf-8")
        return sources
    return None


def sdk_sources(distribution: str, archive_pattern: str) -> dict[str, str] | None:
    """The package's sources, installed or archived; None when neither is on this machine."""
    return installed_sources(distribution) or archived_sources(archive_pattern)
