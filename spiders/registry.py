"""The source catalog: built-in source files plus operators' folders, validated on load.

Every problem in every file is collected before failing, so `syndicate sources check`
prints them all at once, one line each: `FILE: FIELD: PROBLEM`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from extractors.source_rules import Publisher, PublisherRegistry, SourceRules
from spiders.config import SourceConfig

BUILTIN_DIR = Path(__file__).parent / "sources"
SOURCES_DIR_ENV = "SYNDICATE_SOURCES_DIR"


class SourceFileError(ValueError):
    """One or more source files are invalid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def source_dirs() -> list[Path]:
    """The built-in folder, then each folder named in $SYNDICATE_SOURCES_DIR (':'-separated)."""
    extra = os.environ.get(SOURCES_DIR_ENV, "")
    return [BUILTIN_DIR, *(Path(part) for part in extra.split(os.pathsep) if part)]


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


def source_files(dirs: Sequence[Path]) -> Iterator[Path]:
    for folder in dirs:
        yield from sorted(folder.glob("*.toml"))


def read_source_file(path: Path) -> SourceConfig:
    """Parse and validate one source file; raises `SourceFileError` naming file and fields."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceFileError([f"{path}: cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceFileError([f"{path}: invalid TOML: {exc}"]) from None
    if "path" in data:
        raise SourceFileError([f"{path}: path: not a source file key"])
    try:
        return SourceConfig.model_validate({**data, "path": path})
    except ValidationError as exc:
        raise SourceFileError([_problem_line(path, error) for error in exc.errors()]) from None


def _problem_line(path: Path, error: object) -> str:
    assert isinstance(error, dict)  # pydantic's ErrorDetails is a TypedDict
    field = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]
    ).lstrip(".")
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{path}: {field or '(file)'}: {message}"


class SourceCatalog:
    """The sources known to this installation, by key."""

    def __init__(self, configs: Sequence[SourceConfig]) -> None:
        self._configs = {config.key: config for config in configs}

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


def load_catalog(dirs: Sequence[Path] | None = None) -> SourceCatalog:
    """All sources in `dirs` (default: built-in + $SYNDICATE_SOURCES_DIR); every problem at once."""
    configs: list[SourceConfig] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    folders = source_dirs() if dirs is None else list(dirs)
    problems.extend(f"{d}: not a folder of source files" for d in folders if not d.is_dir())
    for path in source_files(folders):
        try:
            config = read_source_file(path)
        except SourceFileError as exc:
            problems.extend(exc.problems)
            continue
        if config.key in seen:
            problems.append(f"{path}: key: {config.key!r} is already defined in {seen[config.key]}")
            continue
        seen[config.key] = path
        configs.append(config)
    if problems:
        raise SourceFileError(problems)
    return SourceCatalog(configs)
