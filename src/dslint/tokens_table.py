"""Control tokens of the major chat-model families, as data: one entry per family, easy to extend.

Each family lists its `tokens` (text that a tokenizer of that family parses as a control token, never as
ordinary text) and its `ambiguous` tokens: control tokens whose spelling is also common ordinary text
(HTML's `<s>` strike-through, `<eos>` in an NLP tutorial). Ambiguous tokens are reported only when the
family is the configured target (`target-families`), or when a target tokenizer lists them as special.

To add a family: add one `Family` below. Nothing else needs changing; the scanner compiles the table once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Family:
    key: str  # short, lower-case, used in configuration (`target-families = ["llama3"]`)
    title: str  # as shown in messages
    tokens: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()


# DeepSeek's tokens use the full-width vertical bar (U+FF5C) and the lower one-eighth block (U+2581)
# as word separator. Escaped here so the source stays ASCII.
_BAR = "\uff5c"
_SEP = "\u2581"


def _deepseek(name: str) -> str:
    return f"<{_BAR}{name.replace(' ', _SEP)}{_BAR}>"


FAMILIES: tuple[Family, ...] = (
    Family("chatml", "ChatML (Qwen, Yi, OpenHermes ...)", ("<|im_start|>", "<|im_end|>", "<|im_sep|>")),
    Family("llama2", "Llama 2", ("<<SYS>>", "<</SYS>>", "[INST]", "[/INST]"), ambiguous=("<s>", "</s>")),
    Family("llama3", "Llama 3", (
        "<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>",
        "<|eom_id|>", "<|python_tag|>", "<|finetune_right_pad_id|>",
    )),
    Family("mistral", "Mistral", (
        "[TOOL_CALLS]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]", "[TOOL_RESULTS]", "[/TOOL_RESULTS]",
        "[SYSTEM_PROMPT]", "[/SYSTEM_PROMPT]", "[THINK]", "[/THINK]", "[TOOL_CONTENT]",
    )),
    Family("gemma", "Gemma", ("<start_of_turn>", "<end_of_turn>", "<start_of_image>", "<end_of_image>"),
           ambiguous=("<bos>", "<eos>", "<pad>")),
    Family("phi3", "Phi-3", ("<|user|>", "<|assistant|>", "<|end|>", "<|placeholder1|>")),
    Family("qwen", "Qwen", (
        "<|endoftext|>", "<|vision_start|>", "<|vision_end|>", "<|fim_prefix|>", "<|fim_middle|>",
        "<|fim_suffix|>", "<|repo_name|>", "<|file_sep|>",
    ), ambiguous=("<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>")),
    Family("deepseek", "DeepSeek", (
        _deepseek("User"), _deepseek("Assistant"), _deepseek("end of sentence"),
        _deepseek("begin of sentence"), _deepseek("tool calls begin"), _deepseek("tool calls end"),
        _deepseek("tool call begin"), _deepseek("tool call end"), _deepseek("tool sep"),
        _deepseek("tool outputs begin"), _deepseek("tool output begin"), _deepseek("tool output end"),
        # ASCII look-alikes: not the real tokens, but what a rendered DeepSeek prompt becomes after NFKC
        # normalisation (which folds U+FF5C to `|`) or an ASCII-only copy: turn structure in content.
        "<|User|>", "<|Assistant|>", "<|end_of_sentence|>", "<|begin_of_sentence|>",
        f"<|end{_SEP}of{_SEP}sentence|>", f"<|begin{_SEP}of{_SEP}sentence|>",
    )),
    Family("gpt-oss", "gpt-oss (harmony)", (
        "<|start|>", "<|channel|>", "<|message|>", "<|return|>", "<|call|>", "<|constrain|>",
    )),
    Family("zephyr", "Zephyr", ("<|system|>",)),
)

# Tokens that MIX005 (foreign-scaffolding) already reports outside code, as another format's markup.
SCAFFOLDING_MARKERS: frozenset[str] = frozenset({"<|im_start|>", "<|im_end|>", "[INST]", "[/INST]"})

# The DeepSeek ASCII look-alikes, so a message can say they are look-alikes and not the real token.
LOOK_ALIKES: frozenset[str] = frozenset(
    token for family in FAMILIES if family.key == "deepseek" for token in family.tokens if _BAR not in token
)


def by_key() -> dict[str, Family]:
    return {family.key: family for family in FAMILIES}


def owners(token: str) -> list[str]:
    """The titles of the families that use a token (`[INST]` is Llama 2 and Mistral; Zephyr shares Phi's)."""
    found = [family.title for family in FAMILIES if token in family.tokens or token in family.ambiguous]
    if token in ("[INST]", "[/INST]"):
        found.append("Mistral")
    if token in ("<|user|>", "<|assistant|>"):
        found.append("Zephyr")
    if token == "<|endoftext|>":
        found.append("GPT-2/OpenAI")
    return found
