"""Benchmark scripts (not tests): each prints its figures and their ratio to a floor measured in the same run."""
