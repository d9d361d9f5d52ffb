"""One intake: the session on transitions, the recommendation, the record and where it is kept."""
