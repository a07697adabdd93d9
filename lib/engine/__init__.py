"""The stats engine and the read models built on it: stages, due lists, reviews, the network."""
