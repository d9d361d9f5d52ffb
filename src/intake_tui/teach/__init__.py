"""For trainers and new staff: training, the quiz, the pre-check and the decision diagram."""
