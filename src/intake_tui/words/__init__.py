"""What people read: how facts, answers and outcomes read, the dossier report (Markdown and PDF), the babel extractor."""
