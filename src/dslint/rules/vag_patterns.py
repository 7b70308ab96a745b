"""Phrase tables for the VAG rules: what a request that names no task, or no object, looks like.

A request is judged as a whole: it is normalised (lower case, punctuation dropped, politeness such as
"please", "can you", "for me" stripped) and must match one of the patterns below *entirely*. A request
with anything more in it ("Rewrite this: <text>", "What do you think about remote work?") does not match,
which is what keeps these rules quiet on ordinary instructions. Every pattern is compiled at import.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# -- normalisation ---------------------------------------------------------------------------------------

def words_of(*groups: str) -> frozenset[str]:
    """The words of space-separated lists, as a set (tables are written as text to stay readable)."""
    return frozenset(" ".join(groups).split())


_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_NON_WORD = re.compile(r"[^\w']+")

def _phrases(*groups: str) -> dict[str, frozenset[tuple[str, ...]]]:
    """Phrases ("a|b c") indexed by their first word (prefixes) or last word (suffixes, key "$" + word)."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for group in groups:
        for phrase in group.split("|"):
            words = tuple(phrase.split())
            found.setdefault(words[0], set()).add(words)
            found.setdefault("$" + words[-1], set()).add(words)
    return {key: frozenset(value) for key, value in found.items()}


_YOU = [f"{modal} {you}{extra}" for modal in ("can", "could", "would", "will", "won't", "wont")
        for you in ("you", "u", "ya") for extra in ("", " please", " kindly", " just", " maybe")]
_WANT = [f"{who} {want} {you} to" for who in ("i", "we") for want in ("want", "need", "would like", "d like")
         for you in ("you", "u")]
# Politeness and filler before the request ("ok so can you please ..."), stripped while a word remains.
PREFIXES = _phrases(
    "please|pls|plz|kindly|hey|hi|hello|ok|okay|so|now|just|well|alright|oh|and|but|also|right|quick|chatgpt"
    "|gpt|assistant|let's|lets|dear ai|dear assistant|dear chatgpt|dear gpt|dear bot|i'd like you to"
    "|we'd like you to|id like you to|i wonder if you could|you should|you must|you need to|try to|go ahead and",
    "|".join(_YOU), "|".join(_WANT))
FILLER = re.compile(r"u+m+|u+h+|h+m+")  # um, uhh, hmm
# ... and after it ("... for me, please").
_SUFFIXES = _phrases(
    "please|pls|plz|thanks|thank you|thanks a lot|thank you very much|thx|ty|now|right now|asap|quickly"
    "|real quick|for me|if you can|if possible|if you could|if you don't mind|lol|haha")


_PUNCTUATION = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) in "_'"))
_ASCII_TABLE = bytes.maketrans(_PUNCTUATION, b" " * len(_PUNCTUATION))


def normalise(text: str) -> str:
    """The request in lower case, words only, politeness stripped: "Can you fix it, please?" -> "fix it"."""
    text = text.lower()
    if text.isascii():  # the common case: a byte translation is several times faster than a regex
        text = text.encode().translate(_ASCII_TABLE).decode()
    else:
        text = _NON_WORD.sub(" ", text.translate(_QUOTES))
    words = text.split()
    if "'" in text:
        words = [word for word in (word.strip("'") for word in words) if word]
    start, end = 0, len(words)
    while end - start > 1:
        first = words[start]
        for phrase in PREFIXES.get(first, ()):
            size = len(phrase)
            if size < end - start and tuple(words[start:start + size]) == phrase:
                start += size
                break
        else:
            if first[0] in "uh" and FILLER.fullmatch(first):
                start += 1
                continue
            break
    while end - start > 1:
        for phrase in _SUFFIXES.get("$" + words[end - 1], ()):
            size = len(phrase)
            if size < end - start and tuple(words[end - size:end]) == phrase:
                end -= size
                break
        else:
            break
    return " ".join(words[start:end])


# -- building blocks -------------------------------------------------------------------------------------

# A bare pronoun standing for material that should have been given (a noun after it, "this article", is
# missing context, the CTX family's finding, not vagueness).
PRON = (r"(?:it|this|that|these|those|them|em|this one|that one|the same|all (?:of )?(?:this|that|it)"
        r"|everything|what i (?:wrote|said|sent|pasted|gave you|shared|have))")
# Deictic phrases for material, used where the *task* is what is missing (the material may be there).
_NOUNS = (r"(?:one|thing|stuff|request|task|message|data|document|file|passage|paragraph|sentence|problem"
          r"|question|issue|code|snippet|email|essay|list|draft|piece|post|article|story|poem|letter|script"
          r"|function|query|text|input|situation|content|mess|page|report)")
# "this sentence" is a noun phrase, not a bare pronoun: nothing after a pronoun may be a material noun.
MATERIAL_NOUNS = frozenset(
    f"{noun}{plural}" for noun in words_of(
        "sentence paragraph text word phrase essay poem email letter article passage list table document review"
        " tweet message quote function program script title headline statement question equation expression"
        " number recipe song slogan description image picture photo video chart graph diagram link url website"
        " page book novel chapter verse joke riddle product name app tagline bio resume cv abstract caption"
        " comment response answer prompt instruction task example line part section file snippet draft post"
        " problem issue situation report note scene dialogue") for plural in ("", "s")
) | words_of("story stories code query queries data lyrics speech summary summaries reply replies")
_MATERIAL = "(?:" + "|".join(sorted(MATERIAL_NOUNS, key=len, reverse=True)) + ")"
_OBJ = rf"(?P<obj>{PRON})(?! {_MATERIAL}\b)"
DEIXIS = (rf"(?:{PRON}|the following|the below|below|the above|above|the attached|attached|what follows"
          rf"|(?:this|that|the|these|those|my) {_NOUNS}s?)")
# A word of a manner or target phrase ("in French", "for a child"): not a clause ("to me why ...").
_TAIL = r"(?!(?:how|what|why|when|where|who|which|whether|if|and|or|then)\b)[\w']+"
# After a bare verb no determiner either: "Describe in one sentence the mood" names its object.
_BARE_TAIL = (r"(?!(?:how|what|why|when|where|who|which|whether|if|and|then|the|a|an|this|that|these|those"
              r"|my|your|his|her|their|its|our)\b)[\w']+")
_ADVERB = (r"(?:better|worse|shorter|longer|simpler|simply|briefly|concisely|clearly|formally|informally"
           r"|properly|correctly|again|quickly|carefully|thoroughly|further|more \w+|less \w+|in detail"
           r"|in full|step by step|here|below|too|as well|to me|for us|one more time"
           r"|once more|a bit|a little|(?!(?:family|italy|july|assembly|supply|reply|anomaly|butterfly|ally"
           r"|rally|belly|jelly|bully|lily|holy|early|only|daily|weekly|monthly|yearly|monopoly)\b)\w{2,}ly)")
_PREP = r"(?:in|into|to|for|as|with|without|using|like|at|under|within|from|by|so|so that|while|keeping|but)"
MOD = rf"(?: (?:{_ADVERB}|{_PREP}(?: {_TAIL}){{1,4}})){{0,2}}"
BARE_MOD = rf"(?: (?:{_ADVERB}|{_PREP}(?: {_BARE_TAIL}){{1,3}})){{0,2}}"
_GMOD = r"(?: (?:again|here|already|properly|correctly|somehow|right away|for us))*"


def trie(phrases: str) -> str:
    """A regular expression matching any of the "|"-separated plain phrases, as a character trie: Python's
    `re` tries the branches of an alternation one by one, so a trie of 150 verbs is many times faster."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases.split("|"):
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:
            return f"(?:{'|'.join(branches)})?"
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return build(tree)


# Task verbs that need an object ("rewrite it" is a task with nothing to rewrite).
OBJECT_VERB_LIST = (
    "rewrite|re write|rephrase|paraphrase|reword|restate|summarise|summarize|sum up|translate|explain|fix|correct"
    "|improve|edit|proofread|proof read|shorten|lengthen|expand|expand on|elaborate on|simplify|clarify|condense"
    "|analyse|analyze|review|critique|evaluate|assess|rate|grade|score|check|double check|verify|fact check"
    "|validate|classify|categorise|categorize|label|tag|answer|solve|complete|finish|convert|format|reformat"
    "|restructure|reorganise|reorganize|clean up|polish|refine|optimise|optimize|debug|refactor|comment on"
    "|respond to|reply to|describe|define|sort|rank|interpret|decode|encode|transcribe|humanise|humanize|redo"
    "|revise|rework|modify|change|adjust|alter|tweak|update|enhance|break down|outline|spell check|spellcheck"
    "|grammar check|trim|cut down|tidy up|extract|parse|extend|continue|repeat|illustrate|visualise|visualize"
    "|tabulate|compare|contrast|memorise|memorize|redraft|retell|proof|title|caption|write|read|run|test"
    "|execute|compile|calculate|compute|list|name|make sense of|look over|go over"
)
# Verbs that are vague alone, or with only a manner or target ("Translate to French", "Summarize briefly").
BARE_VERB_LIST = (
    "rewrite|rephrase|paraphrase|reword|summarise|summarize|sum up|tl dr|tldr|translate|explain|fix|correct"
    "|improve|edit|proofread|shorten|simplify|expand|elaborate|condense|critique|review|analyse|analyze|classify"
    "|categorise|categorize|convert|format|reformat|answer|solve|refactor|debug|optimise|optimize|complete"
    "|finish|describe|define|evaluate|assess|rate|grade|interpret|clarify|revise|rework|modify|enhance|check"
    "|verify"
)
BARE_ALONE_LIST = ("compare|contrast|calculate|compute|count|write|draw|list|sort|outline|transcribe|respond|reply"
                   "|test")
CREATE_VERB_LIST = (
    "write|give|tell|create|generate|make|come up with|suggest|find|draft|compose|produce|provide|list|name"
    "|add|show|draw|send|build|design|prepare|say|offer|share|think of|put together|pick|choose"
)
OBJECT_VERBS = trie(OBJECT_VERB_LIST)
_BARE_VERBS = trie(BARE_VERB_LIST)
_BARE_ALONE = trie(BARE_ALONE_LIST)
_CREATE_VERBS = trie(CREATE_VERB_LIST)
_HELP_OBJECT = (rf"(?:{DEIXIS}|something|some ?thing|some stuff|stuff|a (?:problem|question|task|thing|project"
                rf"|situation|favou?r)|an (?:issue|assignment|essay)|my (?:[\w']+ )?[\w']+)")


class Kind(NamedTuple):
    """A way of being vague: which rule reports it and when it is excused.

    - `rule`: the code reporting it; None for a message that only continues or answers an earlier turn
      ("Continue", "Tell me more", "Yes", "Go ahead"): missing context, CTX003's finding, which VAG leaves;
    - `needs_nothing_given`: only vague when no material is supplied (an input, text beside the request, an
      image): "Thoughts?" under a pasted essay asks for an opinion of it;
    - `excused_by_setting`: a task-defining system prompt or an earlier assistant turn can make it a fine
      conversational move ("Start." in a quiz, "Hmm..." in a role-play).
    """

    name: str
    rule: str | None
    needs_nothing_given: bool
    excused_by_setting: bool


GENERIC = Kind("generic", "VAG001", False, False)
HELP = Kind("help", "VAG001", False, False)
ANNOUNCE = Kind("announce", "VAG001", True, False)  # "I have a question" (fine when the question follows)
HANDOVER = Kind("handover", "VAG001", False, False)  # "Here you go", "See below": material, but no task
INTERJECTION = Kind("interjection", "VAG001", False, True)
GO = Kind("go", "VAG001", False, True)
REACTION = Kind("reaction", "VAG001", True, True)
OBJECT = Kind("object", "VAG002", True, False)
SOMETHING = Kind("something", "VAG002", True, False)
CONTINUATION = Kind("continuation", None, True, True)
ANSWER = Kind("answer", None, False, True)
GOAL = Kind("goal", "VAG003", False, False)  # only reported when material is given (else OBJECT is)


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})")


def heads(*alternations: str) -> frozenset[str]:
    """The first words of "|"-separated plain phrases, for dispatch."""
    return frozenset(phrase.split(" ")[0] for alternation in alternations for phrase in alternation.split("|"))


# (kind, first words it can start with, pattern) in the order tried; the first full match wins. Named groups:
# `verb`, `obj`. Interjections (first words None) are tried on requests of at most three words.
PATTERNS: tuple[tuple[Kind, frozenset[str] | None, re.Pattern[str]], ...] = (
    (ANSWER, None, _full(
        r"ok(?:ay)?|k+|yes|yeah|yep|yup|no|nope|nah|sure|right|alright|all right|fine|uh yeah|um ok(?:ay)?"
        r"|yes please|no thanks|go|go ahead|proceed|go for it|go on")),
    (INTERJECTION, None, _full(
        r"h+m+|u+h*m+|uh+|huh|eh|meh|er+m*|well|so|and|cool|nice|great|wow|lol|lmao|haha+|hehe+|oh|ah|ugh|oops"
        r"|testing(?: test(?:ing)?)*|test(?: test)+|asdf\w*|foo|bar|xxx+|blah(?: blah)*|lorem ipsum|nothing|idk"
        r"|dunno|i don't know|i dont know|no idea|not sure|whatever|anything|something|any")),
    (GO, heads("start|begin|ready|i'm|im|i|your|over|get|you|shoot|fire|hit|roll|as|the|same|surprise|up"
               "|whatever"), _full(
        r"start|begin|ready|i'm ready|im ready|i am ready|your turn|over to you"
        r"|get started|get to work|start now|begin now|you may begin|you can start|you can begin|shoot"
        r"|fire away|hit me|get going|get to it|let's get started|roll|as (?:usual|before)|the usual"
        r"|same as (?:before|above|usual)|you know what to do|surprise me|up to you|your (?:choice|call)"
        r"|you decide|you choose|whatever you (?:think|want|like|prefer|decide)(?: is (?:best|right))?")),
    (GENERIC, heads("do"), _full(
        rf"do (?P<obj>it|this|that|them|these|something|anything|stuff|things|the thing|the needful"
        rf"|your (?:thing|magic|best|job|stuff)|some magic|the rest|what(?:ever)? (?:you (?:can|want|like|need|will"
        rf"|see fit|think(?: is)?(?: best| right| appropriate| needed| necessary)?)|is needed|'s needed"
        rf"|needs to be done)|something \w+(?= (?:with|to|about|on) ))(?: (?:with|to|about|on|for|using|in)"
        rf" (?:{DEIXIS}|me|us))?{_GMOD}")),
    (GENERIC, heads("handle|process|deal|take|work|tackle|sort|go|see|attend|manage|figure|get|run|play|mess"
                    "|do|look|have|knock"), _full(
        rf"(?P<verb>handle|process|deal with|take care of|work on|work with|tackle|sort out|go over|go through"
        rf"|see to|attend to|manage|figure out|work out|look into|get on with|run with|play with|mess with"
        rf"|work your magic on|do your magic on|do something about) (?P<obj>{DEIXIS}){_GMOD}"
        rf"|(?P<verb2>figure|work|sort) (?P<obj2>{PRON}) out{_GMOD}"
        rf"|have at it|go wild|go nuts|knock yourself out|do your worst|take it away|run with it")),
    (HELP, heads("i|we|need|get|some|any|urgent|help|assistance|support|a|assist|i'm|im|stuck|sos|do|can|give"
                 "|lend"),
     _full(
        rf"(?:(?:i|we) (?:really )?(?:need|want|would like|could use|'d like|d like) (?:some |your |a little "
        rf"|a bit of |urgent )?|need |get |some |any |urgent )?(?:help|assistance|support|a hand|assist)"
        rf"(?: me| us)?(?: out)?(?: (?:with|on|for) {_HELP_OBJECT})?(?: here| please| asap)*"
        rf"|(?:i'm|im|i am) stuck|stuck|sos|do me a favou?r|i need a favou?r|can you do something for me"
        rf"|(?:give|lend) (?:me|us) a hand(?: with {_HELP_OBJECT})?")),
    (ANNOUNCE, heads("i|quick|a|one|question|can"), _full(
        r"i (?:have|ve got|'ve got|got) (?:a|one|another) (?:quick )?(?:question|problem|issue|request|task"
        r"|favou?r to ask)|(?:quick |a |one )?question(?: for you)?|can i ask (?:you )?(?:a question|something)")),
    (HANDOVER, heads("here|see|as|this|here's"), _full(
        r"here(?: you go| it is| goes| we go| you are)?|see (?:below|above|attached)|as (?:discussed|requested)"
        r"|(?:this is|here is|here's) (?:it|the (?:text|thing|stuff|input))")),
    (REACTION, heads("any|some|got|have|your|thoughts|ideas|opinion|opinions|feedback|suggestion|suggestions"
                     "|advice|comments|insights|recommendations|impressions|so|and|what|how|what's|is|does|good"
                     "|ok|okay|now|why|when|where|who|which|really|are|in|like|such|for|look|check|see"), _full(
        rf"(?:(?:any |some |got any |have any |your )?(?:thoughts|ideas|opinions?|feedback|suggestions?|advice"
        rf"|comments|insights|recommendations|impressions)|(?:any|some|your|got any|have any) (?:input|takes?"
        rf"|views?|notes|reactions?|comments?))"
        rf"(?: (?:on|about|regarding) {PRON})?(?: anyone)?"
        rf"|(?:so |and )?(?:what|how) do you (?:think|feel|reckon|say)(?: about {PRON}| of {PRON})?"
        rf"|what(?:'s| is| are) your (?:thoughts|opinions?|take|views?|verdict|feedback|impressions?"
        rf"|suggestions?)(?: on {PRON})?|(?:what|how) about {PRON}|what do you make of {PRON}"
        rf"|is {PRON} (?:good|ok|okay|fine|right|correct|bad|any good|true|wrong|better|alright)"
        rf"|does {PRON} (?:work|make sense|look (?:good|right|ok|okay)|sound (?:good|right|ok|okay))"
        rf"|(?:good|ok|okay) or (?:bad|not)|what (?:should|do|can) i do|what now|now what|what next"
        rf"|what else|why|how|what|when|where|who|which|how so|why not|really|is it|are you sure|so what"
        rf"|how come|in what way|like what|such as|for example|what is {PRON}|what's {PRON}"
        rf"|what are (?:these|those|they)|look at {PRON}|check {PRON} out|check out {PRON}|see {PRON}")),
    (CONTINUATION, heads("continue|go|keep|carry|more|tell|say|and|then|what|next|again|try|once|one|another"
                         "|give|some|details|write|explain|elaborate|expand|same|like|pick|where|as|repeat"
                         "|come"), _full(
        r"continue|go on|keep going|keep it going|carry on|more|tell me more|say more|and then|then what"
        r"|then|what happened next|what happens next|next|again|try again|once more|one more|one more time"
        r"|another|another one|give me another(?: one)?|(?:some )?more [\w']+|details|keep writing"
        r"|continue writing|write more|go deeper|explain more|explain further"
        r"|elaborate more|expand more|same as before|same thing|like before|continue from where you (?:left off"
        r"|stopped)|pick up where you left off|where were we|where was i|as (?:i|we) (?:said|were saying)"
        r"|repeat that|say that again|come again")),
    (GOAL, heads("make|get|improve|enhance|change|modify|tweak|alter|adjust|rework|redo|update|upgrade|revamp"
                 "|touch|spruce|jazz|spice|liven|pep|punch"), _full(
        rf"(?:make|get) (?:(?P<obj>{PRON}|the text|the following|the input) )?(?:(?:a lot|much|way|a bit"
        rf"|a little) )?(?P<goal>better|nicer|good|great|perfect|awesome|amazing|excellent|pop|shine|cool"
        rf"|cooler|nice|look better|sound better|read better)"
        rf"|(?P<verb>improve|enhance|change|modify|tweak|alter|adjust|rework|redo|update|upgrade|revamp"
        rf"|touch up|spruce up)(?: (?P<obj2>{PRON}|the text|the following|the input))?"
        rf"(?: a bit| a little| somehow)?"
        rf"|(?P<verb3>touch|spruce|jazz|spice|liven|pep|punch) (?P<obj3>{PRON}) up(?: a bit| a little)?")),
    (OBJECT, heads("help|make|get|turn|put|have|render|give|write|do|create|draw|sum|clean|tidy|break|tone"
                   "|dumb|water|flesh|beef|wrap|cut|trim|pare", OBJECT_VERB_LIST,
                   BARE_VERB_LIST, BARE_ALONE_LIST, CREATE_VERB_LIST), _full(
        rf"(?:help me (?:to )?|help )?(?P<verb>{OBJECT_VERBS}) {_OBJ}{MOD}"
        rf"|(?:help me (?:to )?)?(?P<verb2>{_BARE_VERBS}){BARE_MOD}|(?P<verb3>{_BARE_ALONE})"
        rf"|(?P<verb4>make|get|turn|put|have|render|give) {_OBJ.replace('obj', 'obj4')}(?: [\w']+){{1,4}}"
        rf"|(?P<verb7>sum|clean|tidy|break|write|tone|dumb|water|flesh|beef|wrap|cut|trim|pare)"
        rf" {_OBJ.replace('obj', 'obj7')} (?P<particle>up|down|out){MOD}"
        rf"|(?P<verb5>{_CREATE_VERBS}) (?:me |us )?(?:[\w']+ ){{0,3}}(?:of|for|to|about|on|from) (?P<obj5>{PRON})"
        rf"{MOD}|(?P<verb6>write|make|do|create|draw) one(?: more)?")),
    (SOMETHING, heads("write|say|tell|create|generate|make|draw|give|show|compose|produce|come|think|build"
                      "|design|type|post|send|recommend|suggest"), _full(
        r"(?P<verb>write|say|tell me|tell|create|generate|make|draw|give me|show me|compose|produce"
        r"|come up with|think of|build|design|type|post|send me|recommend|suggest) (?P<obj>something|anything"
        r"|stuff|some stuff|whatever|a thing|things|some things)(?: (?:else|random|randomly|here))?")),
)


class Match(NamedTuple):
    """A request that matched: the kind, the task verb (if any) and the word standing for the object."""

    kind: Kind
    verb: str | None
    obj: str | None


def match_of(kind: Kind, found: re.Match[str]) -> Match:
    verb, particle = _group(found, "verb"), found.groupdict().get("particle")
    return Match(kind, f"{verb} {particle}" if particle else verb, _group(found, "obj"))


def _group(match: re.Match[str], *names: str) -> str | None:
    groups = match.groupdict()
    for name in names:
        for key in (name, *(f"{name}{n}" for n in range(2, 8))):
            if groups.get(key):
                return groups[key]
    return None


def _index() -> dict[str, tuple[tuple[Kind, re.Pattern[str]], ...]]:
    index: dict[str, list[tuple[Kind, re.Pattern[str]]]] = {}
    for kind, first_words, pattern in PATTERNS:
        for word in first_words or ():
            index.setdefault(word, []).append((kind, pattern))
    return {word: tuple(entries) for word, entries in index.items()}


BY_FIRST_WORD = _index()
_SHORT = tuple((kind, pattern) for kind, first_words, pattern in PATTERNS if first_words is None)


def classify(request: str) -> Match | None:
    """The first kind of vagueness a normalised request is, entirely; None when it is not.

    Only the patterns that can start with the request's first word are tried (the rest cannot match).
    """
    if not request:
        return Match(INTERJECTION, None, None)  # punctuation or symbols only: "???", "..."
    first, _, rest = request.partition(" ")
    candidates = BY_FIRST_WORD.get(first, ())
    if rest.count(" ") < 2:
        candidates = _SHORT + candidates
    for kind, pattern in candidates:
        found = pattern.fullmatch(request)
        if found:
            return match_of(kind, found)
    return None
