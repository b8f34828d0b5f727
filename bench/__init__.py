"""Benchmarks: generators and side-by-side timing scripts (see bench/README.md)."""
