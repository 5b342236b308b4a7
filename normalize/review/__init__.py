"""After a run: the offline HTML report and the review of undecided spellings."""
