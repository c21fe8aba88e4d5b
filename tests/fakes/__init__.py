"""Fake GitHub and OpenAI-compatible servers, real aiohttp servers on 127.0.0.1, shared by all tests."""
