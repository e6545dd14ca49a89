"""Models of the Risk of bias stage."""
