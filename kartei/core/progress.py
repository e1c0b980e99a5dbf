"""A progress bar for long commands: redrawn in place on a terminal, a line every tenth of the way otherwise
(a log file or a pipe)."""

import sys
import time


class Progress:
    def __init__(self, total: int, *, label: str, stream=None, width: int = 30):
        self.total, self.label, self.width = max(total, 0), label, width
        self.stream = stream or sys.stdout
        self.done = 0
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_tenth = 0
        self._finished = False
        self._began = time.monotonic()

    def advance(self, n: int) -> None:
        self.done += n
        if self._tty:
            self.stream.write("\r" + self._line())
            self.stream.flush()
        elif self.total and self.done * 10 // self.total > self._last_tenth:
            self._last_tenth = self.done * 10 // self.total
            self.stream.write(self._line() + "\n")

    def finish(self) -> float:
        """End the bar's line, if one was drawn; the seconds it took."""
        if self._tty and self.done and not self._finished:
            self.stream.write("\r" + self._line() + "\n")
        self._finished = True
        return time.monotonic() - self._began

    def _line(self) -> str:
        share = min(self.done / self.total, 1) if self.total else 1
        bar = "#" * round(share * self.width)
        return f"{self.label} [{bar:<{self.width}}] {share:4.0%}  {self.done:,} / {self.total:,}"


class NoProgress:
    """Progress nobody watches."""

    def advance(self, n: int) -> None:
        pass

    def finish(self) -> float:
        return 0.0
