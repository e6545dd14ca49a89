"""Models of the Screening stage."""
