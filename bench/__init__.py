"""Tandem's benchmarks: run them with `make bench` (python -m bench); results go to bench/results/."""
