"""Estimate how many tokens a text costs, without a tokenizer.

No tokenizer runs fully offline from a package here (tiktoken downloads its vocabularies at run time), so budgets
use an estimate: one token per 3.5 characters, rounded up. BPE vocabularies such as cl100k and o200k average about
4 characters per token on English prose and 3 to 4 on source code, so 3.5 errs on the side of over-counting and a
budget is rarely exceeded. What a review reports as its cost is the usage the API returns, not this estimate.
"""

from __future__ import annotations

import math

CHARS_PER_TOKEN = 3.5


def estimate_tokens(text: str) -> int:
    """Return the estimated token count of `text`."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)
