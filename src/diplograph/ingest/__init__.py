"""Inputs → Article records: plain text, JSON Lines, HTML, RSS/Atom feeds and URLs."""
