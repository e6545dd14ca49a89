"""Models of the Data extraction stage."""
