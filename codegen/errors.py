"""The exception a failed generation raises; ``generated/`` is then left as it was."""

__all__ = ["GenerationError"]


class GenerationError(RuntimeError):
    """Generation failed: the message names the item or file and why."""
