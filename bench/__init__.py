"""Speed, memory and cost benchmarks that print figures; run each as `python -m bench.NAME` from the root."""
