"""What people read: languages, how answers and outcomes read, the reports."""
