# Grant rounds and youth panels arrive with the grants issue.
