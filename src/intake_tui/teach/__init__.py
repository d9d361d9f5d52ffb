"""For trainers and new staff: path cases, training, quiz and the pre-check."""
