"""CTX002 (non-text input): its patterns and matchers, and where in a record it looks. Every regex is
compiled at import.

Requests are searched in lower case (with quotes and code blanked) after a cheap word gate: most texts
name no image, recording, file or page at all and cost a set lookup.
"""

from __future__ import annotations

import re

from dslint.model import Example, Turn, Violation
from dslint.rules.ctx_patterns import (
    ADJ,
    MEDIA,
    MEDIA_GATE,
    NO_INPUT_SET,
    WRITES_CODE,
    has_material,
    lower_words,
    mask_quotes,
    short,
)
from dslint.text import instruction, strip_code

# Words that turn a media noun into something else ("video game", "image of the company").
_NOT_MEDIA_AFTER = (
    r"(?!\s+(?:of|games?|calls?|conferenc\w*|chats?|quality|industry|cards?|cameras?|players?|edit\w*|"
    r"production|streaming|recognition|processing|formats?|codecs?|signals?|systems?|books?|engineer\w*|"
    r"descriptions?|resolution|sizes?|compression|generat\w*|classification|search\w*|shoot\w*|frames?|"
    r"theory|functions?|methods?|data|structures?|algorithms?|database|api|library|objects?|class|element|"
    r"tags?|files?|urls?|links?)\b)"
)
_DEICTIC = (
    r"this|these|the\s+following|the\s+attached|the\s+uploaded|the\s+enclosed|the\s+accompanying|"
    r"the\s+provided|the\s+given|the\s+above|the\s+below|the\s+linked|the\s+embedded|the\s+included|"
    r"the\s+shared|the\s+displayed|the\s+supplied|my\s+attached|my\s+uploaded|an\s+attached|an\s+uploaded"
)
_END = r"(?=\s*(?:$|[.?!,;:)])|\s+(?:and|to|for|is|are|was|shows?|showing|above|below|provided|attached|here|i|you|we|in|into|with|as|from|using)\b)"
_MEDIA_REFERENCE = re.compile(
    rf"\b(?:{_DEICTIC})\s+(?:{ADJ}\s+){{0,2}}?(?:{MEDIA})\b{_NOT_MEDIA_AFTER}"
    rf"|\bthe\s+(?:{ADJ}\s+){{0,2}}?(?:{MEDIA})\s+(?:above|below|provided|attached|shown\s+(?:above|below|here)|"
    r"here|(?:that\s+)?i(?:'ve|\s+have)?\s+(?:just\s+)?(?:sent|attached|uploaded|shared|posted|gave\s+you|linked|"
    r"included|took|recorded|made))\b"
    r"|\b(?:in|on|from|at|within|into|of|based\s+on|according\s+to|using)\s+the\s+(?:bar\s+|line\s+|pie\s+|"
    r"flow\s+|audio\s+|video\s+|sound\s+|voice\s+|satellite\s+)?"
    r"(?:image|photo|photograph|picture|pic|screenshot|diagram|chart|graph|figure|illustration|drawing|"
    rf"infographic|painting|video|clip|footage|recording|audio|map|attachment|pdf|spreadsheet|slide)\b"
    rf"{_NOT_MEDIA_AFTER}(?!\s+(?:is|was|shows?)\s+(?:a|an|the)\s)"
    r"|\b(?:look(?:ing)?\s+at|see|watch(?:ing)?|listen(?:ing)?\s+to|hear|view(?:ing)?|examine|study|observe|"
    r"check\s+out|open|play|describe|caption|analy[sz]e|interpret|transcribe|summari[sz]e|read|review|"
    rf"label|annotate|translate)\s+(?:the|this|my|these)\s+(?:{ADJ}\s+)?(?:{MEDIA}){_NOT_MEDIA_AFTER}{_END}"
    r"|\b(?:here(?:'s|\s+is|\s+are)|see|please\s+find)\s+(?:a|an|the|my|this|two|three|some)\s+"
    rf"(?:{ADJ}\s+){{0,2}}?(?:{MEDIA})\b"
    r"|\bi(?:'ve|\s+have)?\s+(?:just\s+)?(?:attached|uploaded|sent|shared|included|posted|linked|enclosed|"
    rf"added)\b[^.?!\n]{{0,30}}?\b(?:{MEDIA})\b"
    r"|\bthe\s+(?:image|photo|photograph|picture|screenshot|diagram|chart|graph|figure|illustration|drawing|"
    r"infographic|painting|video|clip|recording|map|slide)\s+(?:shows?|depicts?|displays?|illustrates?|"
    r"contains?|says)\b"
    r"|\bsee\s+(?:the\s+)?attached\b|\b(?:attached|enclosed)\s+(?:is|are)\s+(?:a|an|the|my)\b",
)
# A picture the request introduces itself ("you painted a self-portrait", "the gallery has 400 photos").
_MEDIA_INTRODUCED = re.compile(
    rf"\b(?:a|an|\d+|some|many|several|two|three|four|five|few|dozens\s+of|hundreds\s+of)\s+(?:{ADJ}\s+){{0,2}}?"
    rf"(?:{MEDIA})\b",
)
_MEDIA_NAMED = re.compile(rf"[A-Z][\w'’]+\s+(?:{MEDIA})\b")  # "The Last Supper painting"
_NAME_AFTER = re.compile(r"\s+[\"“']?[A-Z][a-z]")  # "the painting Mona Lisa"
# Media a request can only *make*, not receive: "draw a chart" is about output, not missing input.
_MAKES_MEDIA = re.compile(
    r"\b(?:draw|sketch|plot|create|make|design|generate|produce|render|paint|build|construct|compose|"
    rf"take|shoot|film)\s+(?:a|an|the|this|these|my|your|some)\s+(?:{ADJ}\s+){{0,2}}?(?:{MEDIA})\b",
)
_MEDIA_TOKEN = re.compile(r"<(?:image|img|video|audio)>", re.IGNORECASE)
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[\w-]+\.[^\s<>\"')\]]+", re.IGNORECASE)
# What a request does with a URL's *content* (as opposed to its text).
_READS_PAGE = re.compile(
    r"\b(?:summari[sz]\w*|summary|read|review|analy[sz]\w*|describe|watch|listen|visit|go\s+to|open|"
    r"check\s+out|look\s+at|tell\s+me\s+(?:what|about)|key\s+points|main\s+(?:points?|ideas?)|according\s+to|"
    r"based\s+on|critique|evaluate|appraise|extract|what\s+(?:does|do)\s+(?:it|this|the\s+\w+)\s+say|"
    r"article|blog|post|video|page|website|site|paper|story|news|podcast|episode)\b",
    re.IGNORECASE,
)
# ... and what it does with the URL text itself (shorten it, parse it, judge it as phishing).
_URL_AS_TEXT = re.compile(
    r"\b(?:url|urls|link|links|domain|address|hyperlink|shorten\w*|pars\w+|validat\w+|encod\w+|decod\w+|"
    r"protocol|scheme|path|query\s+string|phishing|safe|redirect|slug|regex|regular\s+expression|markdown|"
    r"html|href|anchor|endpoint|api|curl|request|fetch|http\s+method|format)\b",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|co|uk|de|fr|info|biz|ai|app|dev|us|ca|"
                     r"au|in|jp|ru|cn|me|tv|ly|news|blog)(?:/\S*)?", re.IGNORECASE)
# A request granting a browser, a shell or tools (toolformer prompts): it can fetch the page or the file.
_TOOL_ACCESS = re.compile(r"toolformer|tool\s+access|access\s+to\s+(?:the\s+)?(?:internet|web|browser|shell|"
                          r"tools?)|\w+\((?:url|query|shellcommand|codetoexecute)\)", re.IGNORECASE)
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp|svg|tiff?|heic|mp3|wav|m4a|flac|ogg|mp4|mov|avi|mkv|"
                        r"webm|pdf|docx?|xlsx?|pptx?|zip)\b", re.IGNORECASE)
# Inputs standing in for a thing only eyes or ears can take ("Attached photo", "Stock market chart.").
_MEDIA_WORD = re.compile(
    r"\b(?:images?|photos?|photographs?|pictures?|screenshots?|diagrams?|charts?|graphs?|paintings?|"
    r"drawings?|videos?|clips?|recordings?|audio|attachments?|attached|uploaded|enclosed|files?|pdfs?|"
    r"spreadsheets?|link\s+to)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*[\[(]?\s*(?:[\w ]{1,20}:(?!//)\s*)?")


def grants_tools(request: str) -> bool:
    """Whether a request gives the model a browser, shell or tools (so it can fetch what it refers to)."""
    return _TOOL_ACCESS.search(request) is not None


def media_reference(request: str) -> str | None:
    """CTX002: a request that needs an image, audio, video, attachment or web page it cannot receive."""
    token = _MEDIA_TOKEN.search(request) if "<" in request else None
    if token:
        return token.group(0)
    low, tokens = lower_words(request)
    web = "http" in low or "www." in low
    if not web and (MEDIA_GATE.isdisjoint(tokens) or has_material(request)):
        return None  # no media word; or a description of the picture, or the file's text, is there
    text = mask_quotes(strip_code(request))
    low = text.lower()
    if len(low) != len(text) or WRITES_CODE.search(low):
        return None
    url = url_content(text) if web else None
    if url or web and has_material(request):
        return url
    for match in _MEDIA_REFERENCE.finditer(low):
        made = _MAKES_MEDIA.search(low, max(0, match.start() - 40), match.end() + 1)
        if made and made.start() <= match.start() < made.end():
            continue  # "draw the graph": the request makes the picture
        if _MEDIA_INTRODUCED.search(low, 0, match.start()) or _MEDIA_NAMED.search(text, 0, match.end()):
            continue  # "they took 200 photos ... all these photos", "you painted a self-portrait ... the
            # painting", "The Last Supper painting": the request itself introduced or named the picture
        if _NAME_AFTER.match(text, match.end()):
            continue  # "the painting Mona Lisa": a named work, not an input
        return text[match.start():match.end()].strip()
    return None


def url_content(text: str) -> str | None:
    """A URL whose page the request wants read (summarised, reviewed, watched), with no page text given."""
    found = _URL.search(text)
    if found is None:
        return None
    rest = _URL.sub(" ", text)
    if len(rest.split()) > 80 or _URL_AS_TEXT.search(rest) or not _READS_PAGE.search(rest):
        return None
    return found.group(0)


def media_input(given: str, request: str) -> str | None:
    """CTX002 on an Alpaca input standing in for a non-text thing: "Attached photo", a file name, a bare URL."""
    text = given.strip()
    if not text or len(text) > 120:
        return None
    token = _MEDIA_TOKEN.search(text) if "<" in text else None
    if token:
        return token.group(0)
    if "." in text and len(text.split()) <= 2:
        core = _LABEL.sub("", text, count=1).rstrip(" .])")
        if _URL.fullmatch(core) or _DOMAIN.fullmatch(core):
            return None if _URL_AS_TEXT.search(request) else text
    tokens = lower_words(text)[1]
    if len(tokens) > 6 or MEDIA_GATE.isdisjoint(tokens) or re.search(r"\d\s*[,:=]|\"|“", text):
        return None if len(tokens) != 1 or not _FILE_NAME.search(text) else text
    words = [word.strip(".,:;()[]<>\"'") for word in tokens]
    at = 1 if words[0] in ("a", "an", "the", "my", "this", "see", "please") and len(words) > 1 else 0
    after = words[at + 1] if len(words) > at + 1 else None
    if words[at] in ("attached", "uploaded", "enclosed") or (_MEDIA_WORD.fullmatch(words[at]) and (
            after is None or after in ("of", "about", "from", "for", "showing", "with", "by", "on", "in"))):
        return text  # "Attached photo", "Recording about the history of Waterloo", "A picture of a cat"
    if len(words) <= 4 and _MEDIA_WORD.fullmatch(words[-1]) and words[-1] not in ("link", "file", "files"):
        return text  # "Stock market chart."
    return None


# ------------------------------------------------------------------ where CTX002 looks in a record

# Record keys and content-part types that carry media beside the text (LLaMA-Factory, LLaVA, OpenAI).
MEDIA_KEYS = frozenset({"images", "image", "videos", "video", "audios", "audio", "image_path", "files"})
MEDIA_PARTS = frozenset({"image", "image_url", "input_image", "video", "video_url", "audio", "input_audio",
                         "file", "input_file"})


def alpaca_media(example: Example) -> Violation | None:
    """CTX002 on an Alpaca record: an input standing in for media, or a request needing media."""
    request, given = example.fields.get("instruction"), example.fields.get("input")
    if request is None:
        return None
    supplied = given[1].strip() if given else ""
    if given is not None and supplied and supplied.lower().rstrip(".") not in NO_INPUT_SET:
        stand_in = media_input(supplied, request[1])
        if stand_in:
            return Violation(f'the input "{short(stand_in)}" stands in for something a text model cannot '
                             "receive", given[0])
        url = url_content(request[1]) if "http" in request[1] or "www." in request[1] else None
        return Violation(media_message(url), request[0]) if url else None
    phrase = media_reference(request[1])
    return Violation(media_message(phrase), request[0]) if phrase else None


def multimodal(example: Example, media_keys: tuple[str, ...]) -> bool:
    """Whether the record attaches media, or has tools (or a prompt granting some) that could fetch it."""
    raw = example.raw
    if example.has_tools or isinstance(raw, dict) and any(raw.get(key) for key in media_keys):
        return True
    request = instruction(example)
    return request is not None and grants_tools(request.text)


def said_before(example: Example, index: int, phrase: str) -> bool:
    """Whether the media noun of a later turn's reference was in an earlier turn ("explain this chart"
    after the assistant drew one as a table)."""
    noun = phrase.lower().split()[-1]
    return any(noun in turn.content.lower() for turn in example.turns[:index])


def has_media_part(turn: Turn) -> bool:
    """Whether a message carries an image, audio, video or file content part (OpenAI's typed content)."""
    message = turn.message
    parts = message.get("content") if isinstance(message, dict) else None
    return isinstance(parts, list) and any(isinstance(p, dict) and p.get("type") in MEDIA_PARTS for p in parts)


def media_message(phrase: str) -> str:
    return f'"{short(phrase)}" needs something a text model cannot receive, and the record does not carry it'
