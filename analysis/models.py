"""Models of the Analysis stage."""
