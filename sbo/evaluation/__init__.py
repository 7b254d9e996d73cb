"""Course evaluations: a personal link to every participant who attended, once, and the scores."""
