"""One intake: answers, the session on transitions, the record and where it is kept."""
