"""diplograph: an evidence-linked knowledge base of diplomatic events read from news."""

__version__ = "0.1.0"
