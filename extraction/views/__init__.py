"""Views of the extraction stage, one module per page family."""
