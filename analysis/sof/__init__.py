"""Summary of Findings tables with GRADE certainty: rules, table rows and downloads."""
