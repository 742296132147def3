"""`make bench`: synthetic corpora, our build beside a plain Material build, and the budgets."""
