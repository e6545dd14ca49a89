"""Relevance ranking: TF-IDF features and a linear model trained on the review's decisions."""
