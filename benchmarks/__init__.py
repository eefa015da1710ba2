"""Benchmarks of Viva Desktop: every figure is a ratio against a baseline measured in the same
run. `scripts/bench.sh` (or `make bench`) runs them all and writes `benchmarks/results.md`."""
