"""NLP: the spaCy pipeline with its rule layer, and date resolution."""
