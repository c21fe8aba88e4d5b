"""The language-model reviewer: prompts, batching, redaction and an OpenAI-compatible client."""
