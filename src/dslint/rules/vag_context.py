"""What the VAG rules judge in a record: its first request (whole, or the first line and last paragraph of a
longer one) and the surroundings that can excuse it (an input, an image, a system prompt, earlier turns).

Only the conversation's first request is judged: Alpaca's `instruction` (apart from its `input`), or the first
user turn of a chat, ShareGPT or preference record (later turns legitimately say "make it shorter").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dslint.model import ASSISTANT, SYSTEM, USER, Example
from dslint.rules import vag_patterns as vp

# Longest request judged as a whole: vague requests are a few words; longer ones are skipped cheaply.
MAX_REQUEST = 100
_NO_INPUT = frozenset({"", "<noinput>", "<no input>", "noinput", "no input", "n/a", "na", "none", "null", "nil",
                       "-"})
# A formula, code or a quotation in the request is its material: "Solve x+1=3", "Translate 'as I said'".
_INLINE = re.compile(r"[=+*^{}\[\]<>|`]|\"[^\"]+\"|“[^”]+”|‘[^’]+’|(?:^|\s)'[^']+'(?!\w)")
_MEDIA_TOKENS = ("<image>", "<video>", "<audio>", "[image]", "[img]", "![")
# A system prompt that only says "you are an assistant" sets no task; one that says more may (a quiz, a role).
_GENERIC_SYSTEM = re.compile(
    r"(?:you are|you're|i am|act as) (?:an? )?(?:[\w-]+ ){0,4}(?:assistant|ai|chatbot|bot|language model)"
    r"(?: (?:created|trained|developed|made|built) by [\w -]+| that helps people find information)?"
    r"|you are a helpful respectful and honest assistant.*|you are an ai assistant user will you give you a task.*"
)
# Kinds also judged on the first line or last paragraph of a longer request: text beside them is material.
PART_KINDS = frozenset({vp.GENERIC, vp.HELP, vp.ANNOUNCE, vp.HANDOVER, vp.GOAL})
_SETTING_WORDS = 5  # a system prompt this long (and not generic) may make "Start." or "Hmm" a fine first move
_MATERIAL_WORDS = 40  # one this long may hold the material a pronoun stands for ("Summarize it.")



@dataclass(slots=True)
class Request:
    text: str  # as written, stripped
    whole: bool  # the whole instruction, not the first line or last paragraph of a longer one
    match: vp.Match | None
    _normal: str | None = None

    @property
    def normal(self) -> str:
        """vag_patterns.normalise(text), computed when needed (most requests are ruled out without it)."""
        if self._normal is None:
            self._normal = vp.normalise(self.text)
        return self._normal

    @property
    def alone(self) -> bool:
        """Whether the request stands alone: the whole instruction, with no formula or code in it."""
        return self.whole and _INLINE.search(self.text) is None


@dataclass(frozen=True, slots=True)
class Surroundings:
    given: bool  # material comes with the request: a non-empty input, an image
    absence: str  # how the lack of material is said in messages
    setting: bool  # a task-defining system prompt or an earlier assistant turn frames the request
    earlier: bool  # material may be earlier in the record: a long system prompt, an earlier assistant turn

    def excused(self, request: Request, kind: vp.Kind) -> bool:
        """Whether the surroundings make this kind of request fine."""
        if kind.needs_nothing_given and (self.given or not request.alone or self.earlier):
            return True
        return kind.excused_by_setting and (self.setting or self.earlier)


class Analysis:
    """The first request of a record. Its surroundings are worked out only when a rule needs them: most
    requests match nothing, and then nothing else about the record matters."""

    __slots__ = ("_around", "example", "first", "matched", "pointer", "requests", "text")

    def __init__(self, example: Example, first: int, text: str, requests: list[Request]) -> None:
        self.example, self.first, self.text, self.requests = example, first, text, requests
        self.pointer = example.turns[first].pointer
        self.matched = requests[0].match is not None or (len(requests) > 1 and any(
            request.match is not None for request in requests))
        self._around: Surroundings | None | bool = False  # False: not worked out yet

    @property
    def label(self) -> str:
        """How messages name the request: Alpaca's instruction, or a chat's first user turn."""
        return "instruction" if self.pointer == "/instruction" else "first user turn"

    def around(self) -> Surroundings | None:
        """The surroundings, or None when the reply asks what was meant and the user answers (no finding)."""
        if self._around is False:
            self._around = _surroundings(self.example, self.first, self.text)
        return self._around  # type: ignore[return-value]


_last: tuple[Example, Analysis | None] | None = None  # one-slot cache: four rules judge the same example


def analyse(example: Example) -> Analysis | None:
    """The first request of the record; None when there is none to judge."""
    global _last
    if _last is not None and _last[0] is example:
        return _last[1]
    found = _analyse(example)
    _last = (example, found)
    return found


def _analyse(example: Example) -> Analysis | None:
    for first, turn in enumerate(example.turns):
        if turn.role is USER:
            break
    else:
        return None
    if turn.pointer == "/instruction":
        text = example.fields.get("instruction", ("", turn.content))[1].strip()
    else:
        text = turn.content.strip()
    if not text:
        return None  # an empty request is FMT010's finding
    requests = _requests(text)
    return Analysis(example, first, text, requests) if requests else None


def _surroundings(example: Example, first: int, text: str) -> Surroundings | None:
    if _clarified(example, first):
        return None
    turns = example.turns
    earlier = setting = any(turn.role is not SYSTEM for turn in turns[:first])  # an assistant spoke first
    system = example.system
    if system and not earlier:
        setting, earlier = _system_setting(system)
    if turns[first].pointer == "/instruction":
        absence = "the input is empty" if "input" in example.fields else "there is no input"
        return Surroundings(_input_given(example), absence, setting, earlier)
    return Surroundings(_has_media(turns[first].message, text), "nothing else is in the message", setting, earlier)


def _clarified(example: Example, first: int) -> bool:
    """Whether the reply to the first request asks a question and the user answers it in a later turn.

    A vague opener followed by a clarifying question is good conversational data, not a defect.
    """
    asked = False
    for turn in example.turns[first + 1:]:
        if turn.role is ASSISTANT and not asked:
            if "?" not in turn.content:
                return False
            asked = True
        elif turn.role is USER and asked:
            return True
    return False


def _requests(text: str) -> list[Request]:
    """The whole request when it is short and alone; else the first line and the last paragraph around text.

    A request followed by a colon or a line break with more text ("Summarize this: <text>") is not judged
    whole: the text after it is material. Its first line and last paragraph are judged as parts.
    """
    if len(text) <= MAX_REQUEST and "\n" not in text and ":" not in text:
        return [_request(text, True)]  # the usual request: short, one line, nothing after a colon
    cut = _head_end(text)
    if not cut and "\n\n" not in text:
        return [_request(text, True)] if len(text) <= MAX_REQUEST else []
    found = [_request(text[:cut].strip(), False)] if cut else []
    if "\n\n" not in text:
        return found
    tail = text[text.rindex("\n\n"):].strip()
    if not tail or len(tail) > MAX_REQUEST:
        return found
    if not (found and found[0].match):
        return [*found, _request(tail, False)]
    if tail == text[cut + 1:].strip():
        return found  # the one paragraph after the request is its material
    last = _request(tail, False)
    # A request that matched may be followed by the real one: "Here it is:\n\n<text>\n\nSummarize it."
    return [*found, last] if last.match and last.match.kind in PART_KINDS else []


def _request(text: str, whole: bool) -> Request:
    if not may_match(text):
        return Request(text, whole, None)
    normal = vp.normalise(text)
    return Request(text, whole, vp.classify(normal), normal)


def _head_end(text: str) -> int:
    """Where the first line (or the part before a colon) of a request followed by more text ends; 0 if none."""
    line, colon = text.find("\n", 0, MAX_REQUEST + 1), text.find(":", 0, MAX_REQUEST + 1)
    cut = min(line, colon) if line > 0 and colon > 0 else max(line, colon)
    return cut if cut > 0 and not text[cut + 1:].isspace() and cut + 1 < len(text) else 0


def _system_setting(system: str) -> tuple[bool, bool]:
    """(sets the scene, may hold material) for a system prompt."""
    normal = " ".join(vp.normalise(system).split()) if len(system) < 2000 else system
    if _GENERIC_SYSTEM.fullmatch(normal):
        return False, False
    count = normal.count(" ") + 1
    return count >= _SETTING_WORDS, count >= _MATERIAL_WORDS


def _input_given(example: Example) -> bool:
    for name, (_, value) in example.fields.items():
        if (name == "input" or name.endswith("_input")) and value.strip().casefold().rstrip(".") not in _NO_INPUT:
            return True
    return False


def _has_media(message: object, text: str) -> bool:
    """Whether a message carries an image or other media (typed parts, or a placeholder token in its text)."""
    if any(token in text for token in _MEDIA_TOKENS):
        return True
    content = message.get("content") if isinstance(message, dict) else None
    return isinstance(content, list) and any(
        isinstance(part, dict) and part.get("type") not in ("text", None) for part in content
    )


# -- the gate: which requests need a closer look ------------------------------------------------------
# may_match() must let through every text a pattern can match (tests check it on the labelled set and on
# generated phrases); it only saves normalising and matching the rest, most instructions.

_EDGE = "".join(chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) == "'")) + "“”‘’«»…–—"
_w = vp.words_of
# First words that only start verb patterns (OBJECT, SOMETHING, GOAL, CONTINUATION): "Describe the process
# of osmosis" cannot match, since after such a verb comes a pronoun, a manner or target, a particle ...
_VERB_KINDS = (vp.OBJECT, vp.SOMETHING, vp.GOAL, vp.CONTINUATION)
_VERB_HEADS = frozenset().union(*(words for kind, words, _ in vp.PATTERNS if kind in _VERB_KINDS and words))
_VERB_HEADS -= frozenset().union(*(words for kind, words, _ in vp.PATTERNS if kind not in _VERB_KINDS and words))
_VERB_HEADS -= frozenset(first for first in vp.PREFIXES if not first.startswith("$"))
_VERB_HEADS -= {"more"}  # "more <anything>" continues
_GOAL_HEADS = next(words for kind, words, _ in vp.PATTERNS if kind is vp.GOAL) or frozenset()
# ... the second words that can follow them ...
_VERB_SECONDS = _w(
    "it them em all everything same one more another again further going writing deeper on up down over to read",
    "write check dr together sense something anything stuff some whatever things much way better nicer good",
    "great perfect awesome amazing excellent pop shine cool cooler nice look sound worse shorter longer simpler",
    "simply in into for as with without using like at under within from by so while keeping but here below",
    "too out once step please pls plz thanks thank thx ty now right asap quickly real if lol haha somehow",
)
_DEMONSTRATIVES = _w("this that these those")  # "this sentence" is material, "this" alone a pronoun
_UP_HEADS = _w("sum clean tidy touch spruce pick")  # "come up with a title" is not "sum up"
# ... some only before certain third words ...
_VERB_THIRDS = {
    "a": _w("thing lot bit little"), "the": _w("same"), "what": _w("i"),
    "me": _w("more another something anything stuff whatever some things one to"),
    "us": _w("more another something anything stuff whatever some things one to"),
}
# ... or a pronoun after a preposition later on ("Write a poem about it"). A leading literal space lets `re`
# skip ahead quickly: several times faster than a leading \b.
_PRONOUN = re.compile(r" (?:(?:of|for|to|about|on|from) (?:it|this|that|these|those|them|em|everything|all"
                      r"|the same|what)|something|anything|stuff|whatever|things)\b")
# Frequent first words of other patterns (questions, mostly), with the second words they allow (and thirds).
_OTHER_SECONDS = {
    "what": _w("do is are about should can now next else happened happens"), "how": _w("do about so come"),
    "in": _w("what"), "for": _w("example"), "why": _w("not"), "where": _w("were was"), "who": frozenset(),
    "which": frozenset(), "when": frozenset(), "are": _w("you these those they"),
    "is": _w("it this that these those them em all everything what the"),
    "does": _w("it this that these those them em all everything what the"),
}
_OTHER_THIRDS = {
    ("what", "is"): _w("your it this that these those them em all everything"),
    ("what", "are"): _w("your these those they"), ("what", "do"): _w("you i"), ("what", "can"): _w("i"),
    ("what", "should"): _w("i"), ("how", "do"): _w("you"),
}


def may_match(text: str) -> bool:
    """A cheap test on the raw text: False when no pattern can match it (most instructions), so it need not
    be normalised. Patterns are dispatched on the first word, and only filler or politeness comes before it."""
    words = text.split(None, 3)
    if len(words) <= 3:
        return True
    first, second = words[0], words[1]
    # most words are plain letters, which strip(_EDGE) leaves alone: a third of the gate's time skipped
    first = first.lower() if first.isalpha() else first.strip(_EDGE).lower()
    second = second.lower() if second.isalpha() else second.strip(_EDGE).lower()
    if not (first.isalpha() and second.isalpha()):
        return True  # "let's", "rewrite/paraphrase", "???": not worth a closer look
    if first in _VERB_HEADS:
        if second in _VERB_SECONDS and (second != "up" or first in _UP_HEADS) or second.endswith("ly"):
            return True
        third = words[2].strip(_EDGE).lower()
        if second in _DEMONSTRATIVES:
            if third not in vp.MATERIAL_NOUNS:
                return True
        elif second == "the" and third in ("text", "following", "input"):
            if first in _GOAL_HEADS:
                return True
        elif second in _VERB_THIRDS and third in _VERB_THIRDS[second]:
            return True
        return _PRONOUN.search(text.lower()) is not None
    seconds = _OTHER_SECONDS.get(first)
    if seconds is not None:
        if second not in seconds:
            return False
        thirds = _OTHER_THIRDS.get((first, second))
        if thirds is None:
            return True
        third = words[2].strip(_EDGE).lower()
        return third in thirds or (third == "the" and words[3].lower().startswith("same"))
    return first in vp.BY_FIRST_WORD or first in vp.PREFIXES or vp.FILLER.fullmatch(first) is not None


# -- VAG004: a bare topic --------------------------------------------------------------------------------

# Words that make a short instruction more than a topic: task verbs, question and auxiliary words,
# pronouns, kinds of output ("haiku about autumn"), relations ("cats vs dogs"), chit-chat.
TASK_WORDS = vp.words_of("""
describe explain write generate list name give create make find identify compare summarize summarise translate
classify categorize categorise suggest provide design develop construct compose calculate compute convert
rewrite rephrase paraphrase edit correct fix improve analyze analyse evaluate assess predict estimate determine
decide choose select pick rank sort order arrange match fill complete finish continue answer solve define tell
show draw plot sketch outline draft plan build brainstorm recommend propose research investigate discuss debate
argue defend justify prove check verify validate test review critique rate grade score count measure convert
reverse spell pronounce conjugate transcribe rephrase shorten expand simplify elaborate clarify interpret
paraphrase detect extract parse format reformat tag label annotate highlight underline delete remove add insert
replace rename merge split combine join separate sketch imagine pretend roleplay act play sing recite quote cite
greet introduce thank apologize remind teach learn study practice help assist guide advise hire buy sell say
speak talk chat ask reply respond comment note mark grade search look go do get put set run take keep let
create invent devise formulate derive differentiate integrate factor simplify evaluate approximate round
convert multiply divide add subtract sum average graph chart map code program implement debug refactor optimize
deploy install configure compile execute print output return read open close send email text call book
reserve schedule cook bake prepare mix explained described defined compared listed summarized written
what who why how when where which whose whom is are was were be been do does did can could would should will
shall may might must has have had am isn't aren't don't doesn't didn't can't won't
i me my mine you your yours we us our it its this that these those they them their he she his her
poem haiku story stories joke jokes essay list lists recipe recipes summary definition definitions synonym
synonyms antonym antonyms example examples idea ideas tip tips name names title titles slogan slogans tagline
quote quotes riddle riddles limerick song songs lyrics letter email tweet tweets post outline plan schedule
itinerary menu fact facts question questions quiz translation code script function program algorithm query
regex sql table chart diagram sentence sentences paragraph word words phrase phrases rhyme rhymes pun puns
dialogue conversation speech toast review reviews advice argument arguments reason reasons cause causes
effect effects benefit benefits advantage advantages disadvantage disadvantages pros cons difference
differences similarity similarities comparison steps step guide tutorial instructions checklist overview
history meaning origin origins analysis explanation description proof solution solutions answer answers
vs versus or between top best worst
hi hello hey thanks thank bye goodbye goodnight morning afternoon evening night cheers yes no ok okay please
sorry welcome congratulations congrats happy merry good great
""")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f]")
_TOPIC_STOP = re.compile(r"[?:=+*/^<>{}\[\]|\n\d();_@#$`]")  # a question, material, arithmetic or code
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_AFTER_VERB = vp.words_of("the a an this that these those my your his her its our their some all every each any",
                          "me us him them it up down out off over away back")


def topic_words(text: str, limit: int) -> list[str] | None:
    """The words of `text` when it is a bare topic of fewer than `limit` words, else None.

    Not a topic: a question, text with a colon, digits or operators (material or arithmetic), non-Latin
    script (no word boundaries to count), any word that asks for something (TASK_WORDS), or an imperative
    of a verb missing from that list: a determiner or pronoun after the first word ("Pad the string"), or a
    particle ("Wrap up").
    """
    if len(text) > 24 * limit or len(text.split(None, limit)) >= limit or _TOPIC_STOP.search(text):
        return None
    if _NON_LATIN.search(text):
        return None
    found = _WORD.findall(text)
    if not found or len(found) >= limit or (len(found) > 1 and found[1].lower() in _AFTER_VERB):
        return None
    for word in found:
        if word.lower().replace("’", "'") in TASK_WORDS:
            return None
    return found
