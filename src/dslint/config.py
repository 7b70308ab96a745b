"""Configuration: find it, parse it as data, validate it strictly, resolve it into engine settings.

Sources, nearest upward from the working directory: `.dslint.toml`, `dslint.toml`, then `pyproject.toml`
with a `[tool.dslint]` table (a pyproject without the table is passed over). `--config` names a file
explicitly; `--isolated` ignores every file. Unknown keys and bad values are errors naming the key.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from dslint.model import Severity
from dslint.readers.limits import DEFAULT_MAX_RECORD_BYTES, parse_byte_size

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAMES = (".dslint.toml", "dslint.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration problem; its message names the file and the key."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Config(BaseModel):
    """The `[tool.dslint]` table (or the top level of `dslint.toml`)."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    severity: dict[str, Severity] = Field(default_factory=dict)
    fail_on: Literal["error", "warning", "info"] = "error"
    exclude: list[str] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # The dataset paths (files or directories, relative to the config file) `dslint check` checks when
    # given none: the whole dataset at once, as the `dslint-dataset` pre-commit hook runs it.
    datasets: list[str] = Field(default_factory=list)
    # A baseline file (relative to the config file): only findings not in it are reported.
    baseline: str | None = None
    # Opt-in: the top-level record key holding inline suppressions, e.g. "_dslint" for
    # {"_dslint": {"ignore": ["VAG001"]}}. Off by default: the key is part of the training data.
    inline_suppression_key: str | None = Field(default=None, min_length=1)
    # JSON Lines lines longer than this are reported, not parsed (bytes, or a size such as "128MiB").
    max_record_bytes: Annotated[int, BeforeValidator(parse_byte_size)] = DEFAULT_MAX_RECORD_BYTES


class LoadedConfig(BaseModel):
    """A validated config and where it came from (relative globs are relative to `root`)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    config: Config
    path: Path | None
    root: Path


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start`."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "dslint" in _read_toml(path).get("tool", {})
    except ConfigError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _table(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("dslint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path.name}: [tool.dslint] must be a table")
        return table
    return data


def describe_validation_error(prefix: str, error: ValidationError) -> str:
    """One line per problem, each naming the key path: `dslint.toml: unknown key 'selct'`."""
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"{prefix}: unknown key '{key}'")
        else:
            lines.append(f"{prefix}: '{key}': {item['msg']}")
    return "\n".join(lines)


def load(*, cwd: Path, explicit: Path | None = None, isolated: bool = False) -> LoadedConfig:
    """The configuration in force for a run started in `cwd`."""
    if isolated:
        return LoadedConfig(config=Config(), path=None, root=cwd)
    path = explicit if explicit is not None else find_config(cwd)
    if path is None:
        return LoadedConfig(config=Config(), path=None, root=cwd)
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"{explicit}: no such config file")
    label = "[tool.dslint]" if path.name == "pyproject.toml" else path.name
    try:
        config = Config.model_validate(_table(path))
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(label, exc)) from None
    return LoadedConfig(config=config, path=path.resolve(), root=path.resolve().parent)
