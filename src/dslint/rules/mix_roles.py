"""Role vocabularies, for MIX003: which naming convention a record's raw role names belong to.

A raw role maps to the set of vocabularies that use it (`user` is both OpenAI's and Gemma's). A record's
vocabulary is what all its roles agree on; roles every vocabulary shares (system, tool, function ...) and
unknown roles (FMT's business) say nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dslint.model import Role, Turn

SHAREGPT = "sharegpt"
OPENAI = "openai"
GEMMA = "gemma"

VOCABULARIES: dict[str, str] = {
    SHAREGPT: "ShareGPT roles (human/gpt)",
    OPENAI: "OpenAI roles (user/assistant)",
    GEMMA: "Gemma roles (user/model)",
}
ALL = frozenset(VOCABULARIES)

# Raw role (lower case) -> the vocabularies using it. ShareGPT scrapes also name the assistant after the
# product (chatgpt, bing, bard); FastChat's cleaning maps those to gpt.
ROLE_VOCABULARIES: dict[str, frozenset[str]] = {
    "human": frozenset({SHAREGPT}),
    "gpt": frozenset({SHAREGPT}),
    "chatgpt": frozenset({SHAREGPT}),
    "bing": frozenset({SHAREGPT}),
    "bard": frozenset({SHAREGPT}),
    "user": frozenset({OPENAI, GEMMA}),
    "assistant": frozenset({OPENAI}),
    "model": frozenset({GEMMA}),
}


@dataclass(frozen=True, slots=True)
class RoleUse:
    """The first use of one distinct raw role in a record."""

    role: str
    pointer: str | None
    vocabularies: frozenset[str]


@dataclass(frozen=True, slots=True)
class RecordRoles:
    """What a record's roles say: its vocabulary (None if unknown or ambiguous), or that it mixes several."""

    vocabulary: str | None
    mixed: bool
    uses: tuple[RoleUse, ...]  # distinct vocabulary-bearing roles, in record order

    @property
    def telling_pointer(self) -> str | None:
        """The role pointer of the record's first role used by its vocabulary only (`gpt`, not `user`).

        Such a role fits no other vocabulary, so it is out of place whatever the file's majority is.
        """
        for use in self.uses:
            if use.vocabularies == {self.vocabulary}:
                return use.pointer
        return self.uses[0].pointer if self.uses else None


def classify(turns: Iterable[Turn]) -> RecordRoles:
    agreed = ALL
    uses: list[RoleUse] = []
    seen: set[str] = set()
    for turn in turns:
        if turn.raw_role is None:
            continue
        name = turn.raw_role.strip().lower()
        vocabularies = ROLE_VOCABULARIES.get(name)
        if vocabularies is None or name in seen:
            continue
        seen.add(name)
        uses.append(RoleUse(turn.raw_role, turn.role_pointer, vocabularies))
        agreed = agreed & vocabularies
    if not agreed:
        return RecordRoles(None, True, tuple(uses))
    vocabulary = next(iter(agreed)) if len(agreed) == 1 and uses else None
    return RecordRoles(vocabulary, False, tuple(uses))


MIXED = "<mixed>"


@lru_cache(maxsize=4096)
def vocabulary_of(raw_roles: tuple[str | None, ...]) -> tuple[str | None, int | None]:
    """(vocabulary or MIXED or None, index of the turn whose role pointer tells it) for a role sequence.

    Cached: a dataset repeats a handful of role sequences millions of times.
    """
    turns = [Turn(Role.UNKNOWN, "", str(index), raw_role=role, role_pointer=str(index))
             for index, role in enumerate(raw_roles)]
    roles = classify(turns)
    if roles.mixed:
        return MIXED, None
    telling = roles.telling_pointer
    return roles.vocabulary, None if telling is None else int(telling)


def odd_one_out(uses: tuple[RoleUse, ...], preferred: str | None) -> tuple[RoleUse, list[RoleUse]]:
    """In a mixed record, the first role that disagrees with the roles before it, and those roles.

    Starts from the file's majority vocabulary when some role of the record uses it, so in a file of
    human/gpt records the odd role of `human, gpt, user` is `user`.
    """
    used = frozenset().union(*(use.vocabularies for use in uses))
    agreed = frozenset({preferred}) if preferred in used else ALL
    before: list[RoleUse] = []
    for use in uses:
        narrowed = agreed & use.vocabularies
        if not narrowed:
            return use, before
        agreed = narrowed
        before.append(use)
    return uses[-1], before[:-1]  # pragma: no cover - callers pass mixed records only


def describe(vocabulary: str) -> str:
    return VOCABULARIES.get(vocabulary, vocabulary)


# For the fix: the user-side and assistant-side role of each vocabulary, and each role's side.
_SIDES: dict[str, tuple[str, str]] = {SHAREGPT: ("human", "gpt"), OPENAI: ("user", "assistant"), GEMMA: ("user", "model")}
_SIDE_OF: dict[str, int] = {"human": 0, "user": 0, "gpt": 1, "chatgpt": 1, "bing": 1, "bard": 1, "assistant": 1,
                            "model": 1}


def role_pairs(example: object) -> tuple[tuple[str, str], ...]:
    """(role pointer, raw role) of every turn of an example (a Location detail, computed when kept)."""
    turns = [*example.turns, *example.alternatives]  # type: ignore[attr-defined]
    return tuple((turn.role_pointer, turn.raw_role) for turn in turns
                 if turn.role_pointer is not None and turn.raw_role is not None)


def renaming(pairs: tuple[tuple[str, str], ...], vocabulary: str, accepted: Iterable[str]) -> dict[str, str]:
    """Raw role -> its name in `vocabulary`, for the roles of a record that differ; only names `accepted`
    by the record's format are used (a chat file cannot take `gpt`), else nothing is renamed."""
    sides = _SIDES.get(vocabulary)
    if sides is None:
        return {}
    accepted = frozenset(accepted)
    mapping: dict[str, str] = {}
    for _, role in pairs:
        side = _SIDE_OF.get(role.strip().lower())
        if side is None or role == sides[side]:
            continue
        if sides[side] not in accepted:
            return {}
        mapping[role] = sides[side]
    return mapping
