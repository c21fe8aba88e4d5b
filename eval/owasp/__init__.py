"""Score prodready's offline review on the OWASP BenchmarkPython test files."""
