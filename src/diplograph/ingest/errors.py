"""Why an input was not stored."""

from __future__ import annotations

from dataclasses import dataclass


class Rejected(Exception):
    """Raised by a reader when an input (or one record of it) cannot become an Article."""

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(slots=True, frozen=True)
class Rejection:
    """One rejected input: where it came from and a one-line reason."""

    where: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.where}:{self.line}" if self.line is not None else self.where
        return f"{place}: {self.reason}"
