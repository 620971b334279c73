"""Reference data shipped with diplograph (JSON files beside this module)."""
