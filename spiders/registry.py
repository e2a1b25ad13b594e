"""The source catalog: built-in source files plus operators' folders, validated on load.

Every problem in every file is collected before failing, so `syndicate sources check`
prints them all at once, one line each: `FILE: FIELD: PROBLEM`. The built-in files are
package data, read through importlib.resources so they load from a zipped egg (scrapyd) too.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError

from extractors.source_rules import Publisher, PublisherRegistry, SourceRules
from spiders.config import SourceConfig

BUILTIN_SOURCES: Traversable = files("spiders") / "sources"
# The same folder as a path, for syndicate/demo.py, which serves the fixture pages from disk
# (it does not exist inside a zipped egg; read through BUILTIN_SOURCES instead).
BUILTIN_DIR = Path(str(BUILTIN_SOURCES))
SOURCES_DIR_ENV = "SYNDICATE_SOURCES_DIR"
BUILTIN_ENV = "SYNDICATE_BUILTIN_SOURCES"
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"0", "false", "no", "off"})
# Keys a source file may not set: the registry fills them in from where the file was read.
_RESERVED_KEYS = ("path", "folder")


class SourceFileError(ValueError):
    """One or more source files are invalid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def builtin_sources_enabled() -> bool:
    """$SYNDICATE_BUILTIN_SOURCES (default on): off, an operator's catalogue is only their own
    files. A value that is neither on nor off is refused rather than guessed at."""
    value = os.environ.get(BUILTIN_ENV, "").strip()
    if not value or value.lower() in _ON:
        return True
    if value.lower() in _OFF:
        return False
    raise SourceFileError(
        [f"{BUILTIN_ENV}: {value!r} is neither on (1, true, yes, on) nor off (0, false, no, off)"]
    )


def source_dirs() -> list[Traversable]:
    """The built-in folder (unless switched off), then each folder in $SYNDICATE_SOURCES_DIR
    (':'-separated)."""
    extra = os.environ.get(SOURCES_DIR_ENV, "")
    operators: list[Traversable] = [Path(part) for part in extra.split(os.pathsep) if part]
    return [BUILTIN_SOURCES, *operators] if builtin_sources_enabled() else operators


@contextmanager
def extra_source_dir(folder: Path) -> Iterator[None]:
    """The source files in `folder` join the catalogue for the block only (the demo's generated
    source): $SYNDICATE_SOURCES_DIR is put back afterwards, even when the block fails."""
    before = os.environ.get(SOURCES_DIR_ENV)
    os.environ[SOURCES_DIR_ENV] = os.pathsep.join(part for part in (before, str(folder)) if part)
    try:
        yield
    finally:
        if before is None:
            del os.environ[SOURCES_DIR_ENV]
        else:
            os.environ[SOURCES_DIR_ENV] = before


def source_files(folder: Traversable) -> list[Traversable]:
    """The folder's `*.toml` files by name (a folder on disk or one inside a package archive)."""
    if not folder.is_dir():
        return []
    found = [entry for entry in folder.iterdir() if entry.name.endswith(".toml")]
    return sorted((entry for entry in found if entry.is_file()), key=lambda entry: entry.name)


def read_source_file(path: Traversable, folder: Traversable | None = None) -> SourceConfig:
    """Parse and validate one source file; raises `SourceFileError` naming file and fields.

    `folder` (default: a path's parent) is where its fixtures are read from; a file that is
    not on disk (inside a zipped egg) gets no `path`, so nothing tries to write beside it.
    """
    on_disk = path if isinstance(path, Path) else None
    if folder is None and on_disk is not None:
        folder = on_disk.parent
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceFileError([f"{path}: cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceFileError([f"{path}: invalid TOML: {exc}"]) from None
    if reserved := [key for key in _RESERVED_KEYS if key in data]:
        raise SourceFileError([f"{path}: {key}: not a source file key" for key in reserved])
    try:
        return SourceConfig.model_validate({**data, "path": on_disk, "folder": folder})
    except ValidationError as exc:
        raise SourceFileError([_problem_line(path, error) for error in exc.errors()]) from None


def _problem_line(path: Traversable, error: object) -> str:
    assert isinstance(error, dict)  # pydantic's ErrorDetails is a TypedDict
    field = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]
    ).lstrip(".")
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{path}: {field or '(file)'}: {message}"


class SourceCatalog:
    """The sources known to this installation, by key, and the problems of the files that
    could not be loaded (`problems`; by the key they meant to define: `problems_of`)."""

    def __init__(
        self,
        configs: Sequence[SourceConfig],
        problems: Sequence[str] = (),
        broken: Mapping[str, list[str]] | None = None,
    ) -> None:
        self._configs = {config.key: config for config in configs}
        self.problems = tuple(problems)
        self._broken = dict(broken or {})

    def problems_of(self, key: str) -> list[str]:
        """The problems of the file(s) meant to define `key` (its `key` or its file name)."""
        return list(self._broken.get(key, []))

    def keys(self) -> list[str]:
        return sorted(self._configs)

    def __contains__(self, key: object) -> bool:
        return key in self._configs

    def __len__(self) -> int:
        return len(self._configs)

    def get(self, key: str) -> SourceConfig:
        """The source with this key; KeyError names the known keys."""
        try:
            return self._configs[key]
        except KeyError:
            raise KeyError(f"unknown source {key!r}; known: {', '.join(self.keys())}") from None

    def rules(self, key: str) -> SourceRules:
        return self.get(key).rules()

    def configs(self) -> list[SourceConfig]:
        return [self._configs[key] for key in self.keys()]

    def publishers(self) -> PublisherRegistry:
        """Every source as a publisher credit lines may name (key, name, aliases, hosts)."""
        return PublisherRegistry.of(
            Publisher(key=c.key, name=c.name, aliases=tuple(c.aliases), hosts=c.rules().hosts)
            for c in self.configs()
        )


def load_catalog(
    dirs: Sequence[Traversable] | None = None, *, strict: bool = True
) -> SourceCatalog:
    """All sources in `dirs` (default: `source_dirs()`, so built-in unless switched off, and
    $SYNDICATE_SOURCES_DIR); every problem at once. `strict` raises SourceFileError listing
    them; otherwise the valid files load and the catalog carries the problems, so one broken
    operator file does not stop every other source."""
    configs: list[SourceConfig] = []
    broken: dict[str, list[str]] = {}
    folders = source_dirs() if dirs is None else list(dirs)
    problems = [f"{d}: not a folder of source files" for d in folders if not d.is_dir()]
    seen: dict[str, Traversable] = {}
    for path, folder in ((path, d) for d in folders for path in source_files(d)):
        found = _load_one(path, folder, seen)
        if isinstance(found, SourceConfig):
            seen[found.key] = path
            configs.append(found)
            continue
        problems.extend(found)
        for key in _meant_keys(path):
            broken.setdefault(key, []).extend(found)
    if problems and strict:
        raise SourceFileError(problems)
    return SourceCatalog(configs, problems, broken)


def _load_one(
    path: Traversable, folder: Traversable, seen: Mapping[str, Traversable]
) -> SourceConfig | list[str]:
    """The file's source, or its problems (a key another file defined already is one)."""
    try:
        config = read_source_file(path, folder)
    except SourceFileError as exc:
        return exc.problems
    if config.key in seen:
        return [f"{path}: key: {config.key!r} is already defined in {seen[config.key]}"]
    return config


def _meant_keys(path: Traversable) -> set[str]:
    """The keys a broken file was meant to define: its `key` if readable, and its file name."""
    keys = {path.name.removesuffix(".toml")}
    try:
        key = tomllib.loads(path.read_text(encoding="utf-8")).get("key")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return keys
    return keys | ({key} if isinstance(key, str) else set())
