"""The buffers of in-place code, and which of them may share memory.

``Call`` is one line of in-place code with the names it reads and the
buffer it writes, recorded as the line is made; ``Buffers.storage`` decides
from those records, never from printed text, which buffers can use the
same memory because their uses do not overlap.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count

from .operations import Shape

__all__ = ["Buffers", "Call"]


@dataclass(frozen=True)
class Call:
    """One line of in-place code.

    ``writes`` is the buffer it fills (None for a scalar, a binding or a
    comment); ``binds`` the name a binding (``out = inp3``) gives ``reads``'
    one array; ``product``: an ``np.dot``, whose output may not overlap its
    inputs; ``rowwise``: each row it writes depends on the same row of what
    it reads alone (elementwise, or a reduction along a row), so it may run
    on row blocks of its arrays (``codegen.row_blocks``); ``comment``: the line is a comment.
    """

    text: str
    reads: frozenset[str] = frozenset()
    writes: str | None = None
    binds: str | None = None
    product: bool = False
    rowwise: bool = False
    comment: bool = False

    @property
    def names(self) -> frozenset[str]:
        """Every name the line uses."""
        return self.reads | {name for name in (self.writes, self.binds) if name}


@dataclass
class Buffers:
    """Every buffer a block of in-place code writes: name -> (shape, dtype), in order of first use."""

    shapes: dict[str, tuple[Shape, str]] = field(default_factory=dict)
    _free: dict[tuple[Shape, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    _numbers: count = field(default_factory=count)

    def named(self, name: str, shape: Shape, dtype: str = "float64") -> str:
        self.shapes[name] = (shape, dtype)
        return name

    def scratch(self, shape: Shape, dtype: str = "float64") -> str:
        """A scratch buffer of ``shape`` not in use: a freed one, else a new ``_sK``."""
        free = self._free[(shape, dtype)]
        if free:
            return free.pop()
        return self.named(f"_s{next(self._numbers)}", shape, dtype)

    def release(self, names: list[str]) -> None:
        for name in names:
            self._free[self.shapes[name]].append(name)

    def storage(self, calls: list[Call]) -> dict[str, str]:
        """Which buffer holds each one once ``calls`` have run: a buffer takes over one whose work is done.

        A buffer whose first use comes after another's last, with the same
        shape and type, shares its memory; so may one written by the
        elementwise call that last reads the other (NumPy computes such a
        call in place), but not by ``np.dot``, whose output may not overlap
        its inputs.  Names bound to the same array (``out = inp3``) count as
        one; the result maps every buffer's name to the name of the memory it uses.
        """
        same: dict[str, str] = {}
        for call in calls:
            if call.binds:
                (read,) = call.reads
                same[call.binds] = same.get(read, read)
        uses: dict[str, list[int]] = defaultdict(list)
        for index, call in enumerate(calls):
            for name in {same.get(name, name) for name in call.names}:
                if name in self.shapes:
                    uses[name].append(index)
        holder: dict[str, str] = {}
        free: dict[tuple[Shape, str], list[tuple[int, str]]] = defaultdict(list)
        for name in sorted(uses, key=lambda n: (uses[n][0], n)):
            first, pool = uses[name][0], free[self.shapes[name]]
            shareable = [
                (last, memory) for last, memory in pool
                if last < first or (last == first and not calls[first].product)
            ]
            memory = max(shareable)[1] if shareable else name
            if shareable:
                pool.remove(max(shareable))
            holder[name] = memory
            pool.append((uses[name][-1], memory))
        return holder
