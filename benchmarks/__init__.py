"""Scripts that measure the generator (not part of the package, not timed in the tests)."""
