"""The one exception type a bad definition raises, so callers can catch it cleanly."""

__all__ = ["DefinitionError"]


class DefinitionError(ValueError):
    """A catalogue item or network spec that cannot be derived, with the reason."""

    def __init__(self, item: str, problem: str, accepted: str = "") -> None:
        message = f"{item}: {problem}"
        if accepted:
            message += f"; {accepted}"
        super().__init__(message)
        self.item = item
