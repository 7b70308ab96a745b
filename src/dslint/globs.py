"""Gitignore-style globs, compiled into one regex.

Used for discovery excludes, the config's `exclude` and its `per-file-ignores`. Paths are POSIX paths
relative to the project root. The rules follow gitignore:

- `*` and `?` match within one path component (never `/`); `[abc]`, `[!a-z]` are character classes;
- `**` matches any number of directories: `**/x`, `a/**/b`, `a/**`;
- a pattern without a `/` matches a name at any depth (`*.jsonl`, `tmp`);
- a pattern with a `/` (leading, or in the middle) is anchored at the root (`/data/x.jsonl`, `data/*.jsonl`);
- a trailing `/` matches only a directory, and so everything under it (`build/`);
- a pattern matching a directory also matches everything under it.

Negation (`!pattern`) is not supported and raises ValueError rather than being silently misread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def compile_globs(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A predicate telling whether a relative POSIX path matches any of `patterns`.

    A directory may be passed with a trailing `/` (`data/raw/`), which lets directory-only patterns
    match it, so a walker can prune it.
    """
    sources = [translate(pattern) for pattern in patterns if pattern.strip() not in ("", "/")]
    if not sources:
        return _never
    regex = re.compile("|".join(f"(?:{source})" for source in sources))

    def matches(path: str) -> bool:
        return regex.fullmatch(path[2:] if path.startswith("./") else path) is not None

    return matches


def translate(pattern: str) -> str:
    """The regex source (for fullmatch) of one glob pattern."""
    text = pattern.strip()
    if text.startswith("!"):
        raise ValueError(f"negated glob patterns are not supported: {pattern!r}")
    if text.startswith("./"):
        text = text[2:]
    directory_only = text.endswith("/")
    text = text.rstrip("/")
    anchored = "/" in text
    parts = text.lstrip("/").split("/")
    body = ""
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        if part == "**":
            body += ".*" if last else "(?:.*/)?"
        else:
            body += _component(part) + ("" if last else "/")
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if directory_only else "(?:/.*)?"
    return prefix + body + suffix


def _component(part: str) -> str:
    """Regex source for one path component: `*`, `?`, `[...]` and `\\x` escapes; the rest literal."""
    out: list[str] = []
    index = 0
    while index < len(part):
        char = part[index]
        index += 1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and index < len(part):
            out.append(re.escape(part[index]))
            index += 1
        elif char == "[" and (close := part.find("]", index + 1)) > 0:
            inner = part[index:close]
            negate = inner[:1] in ("!", "^")
            inner = inner[1:] if negate else inner
            inner = inner.replace("\\", "\\\\").replace("[", "\\[")
            out.append(("[^/" if negate else "[") + inner + "]")
            index = close + 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def _never(path: str) -> bool:
    return False
