"""Screening: dual blind screening of titles/abstracts and full texts, conflicts, ranking.

Design in brief (details in the modules named):

- ``models``: one ``ScreeningItem`` per unique record and stage (the row locked when a decision
  lands, holding the decision count and the relevance score the queue orders by), one
  ``ScreeningDecision`` per reviewer, record and stage, one ``ScreeningConflict`` per item.
- ``services.decisions``: the outcome rules (Unsure never silently excludes; Include+Unsure and
  Unsure+Unsure go on to full text from title/abstract, but are conflicts at full text).
- ``selectors``: the reviewer's queue in SQL, progress, blinding, agreement (Cohen's kappa),
  and the PRISMA counts the flow diagram reads (``prisma_screening_counts``).
- ``ranking``: TF-IDF + class-balanced logistic regression, retrained by a Celery job
  (``tasks.rerank_task``) after every ``screening_retrain_every`` resolved records.
"""
