"""The knowledge base an analyst queries: exports, searches, briefs."""
