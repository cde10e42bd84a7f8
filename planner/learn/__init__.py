"""Learning from a group's own chat history: export readers, attention shrinkage, the
learned profile file. Only aggregates (counts per hour-of-week, date ranges) leave here."""
