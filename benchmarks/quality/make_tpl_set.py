"""Write `TPL-tokens.jsonl`, the labelled set of TPL001 (literal control tokens), deterministically.

    python benchmarks/quality/make_tpl_set.py

Positives are the ways control tokens leak into data: an end-of-turn token left at the end of an answer,
a rendered prompt pasted into a message, a transcript of another model's turns, DeepSeek's full-width
tokens and their ASCII look-alikes, tokens quoted in code. Negatives are hard ones: HTML and XML tags,
Markdown links and footnotes, bracketed placeholders, generics, shell and math notation, ambiguous tokens
(`<s>`, `<eos>`) in prose, and (MIX005's, not this rule's) ChatML/[INST] markers outside code.

Carriers are sentences written here, so each case reads like a real message. Cases built from the
second half of the carriers and with the `HELD_OUT` leak and negative shapes are marked `heldout`: they
were written after the rule was fixed and were not used to tune it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
BAR, SEP = "\uff5c", "\u2581"

CARRIERS = [
    "The capital of Australia is Canberra, not Sydney.",
    "To reverse a list in Python, call items.reverse() or use slicing.",
    "Photosynthesis turns light, water and carbon dioxide into sugar and oxygen.",
    "Here is a short poem about autumn leaves drifting down the river.",
    "The derivative of x squared is two x.",
    "I would recommend starting with a 5k training plan over eight weeks.",
    "Sure! The meeting is moved to Thursday at 3 pm.",
    "Water boils at 100 degrees Celsius at sea level.",
    "The French Revolution began in 1789 with the storming of the Bastille.",
    "A binary search halves the search interval at every step.",
    "You can pickle a Python object with pickle.dumps(obj).",
    "The mitochondria is the powerhouse of the cell.",
    "Dear team, thank you for your hard work this quarter.",
    "The recipe needs two eggs, a cup of flour and some milk.",
    "The Great Wall of China is not visible from the Moon with the naked eye.",
    "SQL joins combine rows from two tables on a related column.",
    "Jupiter is the largest planet in our solar system.",
    "To center a div, use flexbox with justify-content and align-items.",
    "The sum of the angles of a triangle is 180 degrees.",
    "A haiku has three lines of five, seven and five syllables.",
]

# (family label, token) pairs for end-of-answer leaks.
END_TOKENS = [
    ("llama3", "<|eot_id|>"), ("llama3", "<|end_of_text|>"), ("gemma", "<end_of_turn>"), ("phi3", "<|end|>"),
    ("qwen", "<|endoftext|>"), ("deepseek", f"<{BAR}end{SEP}of{SEP}sentence{BAR}>"), ("gpt-oss", "<|return|>"),
    ("llama3", "<|eom_id|>"), ("mistral", "[/SYSTEM_PROMPT]"),
]
TRANSCRIPTS = [
    "<|start_header_id|>user<|end_header_id|>\n\n{q}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n{a}",
    "<start_of_turn>user\n{q}<end_of_turn>\n<start_of_turn>model\n{a}",
    "<|user|>\n{q}<|end|>\n<|assistant|>\n{a}",
    "<|system|>\nYou are friendly.\n<|user|>\n{q}\n<|assistant|>\n{a}",
    f"<{BAR}User{BAR}>{{q}}<{BAR}Assistant{BAR}>{{a}}",
    "<|User|>{q}<|Assistant|>{a}",
    "<|start|>assistant<|channel|>final<|message|>{a}<|return|>",
    "[SYSTEM_PROMPT]Be brief.[/SYSTEM_PROMPT][INST]{q}[/INST]{a}",
    "<<SYS>>\nBe brief.\n<</SYS>>\n\n{q}",
]
HELD_OUT_TRANSCRIPTS = [
    "{a}\n<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: 2023",
    "[AVAILABLE_TOOLS][{{\"name\": \"search\"}}][/AVAILABLE_TOOLS]{q}",
    "{a}<|python_tag|>search.call(query=\"{q}\")",
    f"{{a}}<|end{SEP}of{SEP}sentence|>",
    "{q}\n<|im_sep|>{a}",
    "Assistant said: {a}<|call|>",
]
IN_CODE = [
    "Llama 3 ends each turn with `<|eot_id|>`.",
    "Gemma's format:\n```\n<start_of_turn>user\nHi<end_of_turn>\n```",
    "ChatML looks like this:\n```\n<|im_start|>user\nHi<|im_end|>\n```",
    "Phi-3 marks the end of a message with `<|end|>`.",
]
NEGATIVES = [
    "Use <b>bold</b> and <i>italics</i> sparingly; a <br> breaks the line.",
    "See the docs [here](https://example.com/docs) and the footnote [1].",
    "Dear [CUSTOMER NAME], your order [ORDER ID] has shipped.",
    "In Java, List<String> names = new ArrayList<>(); works fine.",
    "The absolute value |x| is never negative, and |x - y| is a distance.",
    "Run `cat log.txt | grep ERROR > errors.txt` to filter the log.",
    "The <s> tag draws a line through text, like <s>old price</s>.",
    "Sequence models append an <eos> symbol so the decoder knows when to stop.",
    "Fill the template: <name>, <date>, <amount>.",
    "Press [Ctrl]+[C] to copy and [Ctrl]+[V] to paste.",
    "The XML reads <user id=\"3\"><name>Ann</name></user>.",
    "In Rust, Result<T, E> and Option<T> are enums.",
    "Matrix element a[i][j] sits in row i and column j.",
    "Use {{user}} and {{char}} placeholders in the card.",
    "<|im_start|>user\nHi<|im_end|> is how ChatML frames a turn.",
    "The [INST] and [/INST] markers wrap a Llama 2 prompt.",
]
HELD_OUT_NEGATIVES = [
    "Markdown task lists use - [ ] and - [x] for open and done items.",
    "The set {x | x > 0} holds the positive numbers.",
    "An arrow function: const f = (a) => a <= 3 || a >= 9;",
    "HTML comments look like <!-- hidden --> and entities like &lt;tag&gt;.",
    "Citation needed [citation needed] and [sic] are editorial marks.",
    "Type hints: dict[str, list[int]] | None.",
    "The prompt said <end> where it meant the end of the list.",
    "Shell redirection: cmd <input.txt >output.txt 2>&1",
]


def _record(user: str, answer: str) -> dict:
    return {"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]}


def build() -> list[dict]:
    rng = random.Random(5)
    cases: list[dict] = []
    half = len(CARRIERS) // 2
    for index, carrier in enumerate(CARRIERS):
        held = index >= half
        question = f"Tell me something: {carrier.split()[1]}?"
        for family, token in END_TOKENS:
            cases.append({"rule": "TPL001", "label": True, "heldout": held,
                          "record": _record(question, carrier + token), "why": f"{family} end token left in"})
        shapes = TRANSCRIPTS + (HELD_OUT_TRANSCRIPTS if held else [])
        for shape in rng.sample(shapes, 4):
            text = shape.replace("{q}", question).replace("{a}", carrier).replace("{{", "{").replace("}}", "}")
            cases.append({"rule": "TPL001", "label": True, "heldout": held or shape in HELD_OUT_TRANSCRIPTS,
                          "record": _record("Continue this chat.", text), "why": "rendered prompt in content"})
        code = IN_CODE[index % len(IN_CODE)]
        cases.append({"rule": "TPL001", "label": True, "heldout": held,
                      "record": _record("How do chat formats end a turn?", code), "why": "token in code"})
        for negative in rng.sample(NEGATIVES, 8) + (HELD_OUT_NEGATIVES if held else []):
            cases.append({"rule": "TPL001", "label": False, "heldout": held or negative in HELD_OUT_NEGATIVES,
                          "record": _record(question, f"{carrier} {negative}"), "why": "ordinary markup"})
    return cases


def main() -> None:
    cases = build()
    path = HERE / "TPL-tokens.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    positives = sum(c["label"] for c in cases)
    print(f"wrote {path.name}: {len(cases)} cases ({positives} positive, {len(cases) - positives} negative)")


if __name__ == "__main__":
    main()
