"""Configuration discovery, strict validation and resolution into engine settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from dslint.config import ConfigError, find_config, load
from dslint.model import Severity
from dslint.resolve import Overrides, build_settings


def _settings(tmp_path: Path, overrides: Overrides = Overrides()):
    loaded = load(cwd=tmp_path)
    return build_settings(loaded, overrides, tmp_path)


def test_no_config_means_defaults(tmp_path: Path) -> None:
    loaded = load(cwd=tmp_path)
    assert loaded.path is None
    settings = build_settings(loaded, Overrides(), tmp_path)
    assert settings.fail_on is Severity.ERROR
    assert all(rule.default_enabled for rule in settings.rules)


def test_pyproject_without_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(tmp_path) is None


def test_nearest_config_upward_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.dslint]\nignore = ['MIX']\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "dslint.toml").write_text("ignore = ['FMT003']\n")
    assert find_config(sub) == tmp_path / "a" / "dslint.toml"
    (tmp_path / "a" / ".dslint.toml").write_text("")
    assert find_config(sub) == tmp_path / "a" / ".dslint.toml"


def test_unknown_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("selct = ['FMT']\n")
    with pytest.raises(ConfigError, match="dslint.toml: unknown key 'selct'"):
        load(cwd=tmp_path)


def test_bad_value_is_named(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("fail-on = 'sometimes'\n")
    with pytest.raises(ConfigError, match="'fail-on'"):
        load(cwd=tmp_path)


def test_invalid_toml(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load(cwd=tmp_path)


def test_unknown_selector(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("ignore = ['NOPE123']\n")
    with pytest.raises(ConfigError, match="unknown rule selector 'NOPE123'"):
        _settings(tmp_path)


def test_select_ignore_and_cli_overrides(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("select = ['FMT']\nignore = ['FMT003']\n")
    codes = {r.code for r in _settings(tmp_path).rules}
    assert "FMT001" in codes and "FMT003" not in codes and not any(c.startswith("MIX") for c in codes)
    codes = {r.code for r in _settings(tmp_path, Overrides(select=["MIX001,FMT003"])).rules}
    assert codes == {"MIX001"}  # config ignore still applies
    codes = {r.code for r in _settings(tmp_path, Overrides(extend_select=["MIX"])).rules}
    assert "MIX001" in codes


def test_select_by_name_and_all(tmp_path: Path) -> None:
    codes = {r.code for r in _settings(tmp_path, Overrides(select=["invalid-json"])).rules}
    assert codes == {"FMT001"}
    from dslint.rules import all_rules

    assert len(_settings(tmp_path, Overrides(select=["ALL"])).rules) == len(all_rules())


def test_severity_override_most_specific_wins(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("[severity]\nFMT = 'info'\nFMT001 = 'warning'\n")
    settings = _settings(tmp_path)
    assert settings.severity["FMT001"] is Severity.WARNING
    assert settings.severity["FMT006"] is Severity.INFO


def test_rule_options_validated_by_rule_model(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("[rules.no-such-rule]\nx = 1\n")
    with pytest.raises(ConfigError, match="rules.no-such-rule: unknown rule"):
        _settings(tmp_path)
    (tmp_path / "dslint.toml").write_text("[rules.FMT001]\nx = 1\n")
    with pytest.raises(ConfigError, match=r"rules.FMT001: unknown key 'x'"):
        _settings(tmp_path)


def test_per_file_ignores_relative_to_config(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("[per-file-ignores]\n'data/legacy/*.jsonl' = ['MIX', 'FMT006']\n")
    sub = tmp_path / "data"
    sub.mkdir()
    loaded = load(cwd=sub)
    settings = build_settings(loaded, Overrides(), sub)
    (matches, codes), = settings.per_file_ignores
    assert matches("legacy/old.jsonl")  # displayed relative to cwd = data/
    assert not matches("new.jsonl")
    assert "FMT006" in codes and "MIX001" in codes


def test_isolated_ignores_files(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text("selct = 1\n")
    assert load(cwd=tmp_path, isolated=True).path is None
