"""Benchmarks for Strike a Pose, measured in a real browser (see bench/README.md)."""
