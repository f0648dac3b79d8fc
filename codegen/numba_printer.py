"""Print a planned step (``codegen.numba_plan``) as the body of one Numba function.

A ``Dot`` prints as ``np.dot(a, b, out)``: BLAS writing into a preallocated
array.  A ``Kernel`` prints as one loop over its rows, ``prange`` so rows run
in parallel; its inner loops over the columns hold the scalar code of each
item (``codegen.numba_scalar``), each value kept in a local (``h1_``) and
stored into its array only when something outside the loop reads it.  Row
totals accumulate in locals; totals down the rows (a bias gradient, the
cost) accumulate per chunk of rows into ``_p`` arrays, summed after the
loop in a fixed order, so results do not depend on the number of threads.
"""

from dataclasses import dataclass, field

from sympy import Basic

from .numba_plan import ACROSS_ROWS, Dot, Item, Kernel, Scalar, StepPlan
from .numba_scalar import ScalarPrinter
from .printer import to_numpy

__all__ = ["CHUNKS", "StepPrinter"]

#: Chunks of rows a kernel with totals down the rows is split into, each a parallel task with its own partial sums.
CHUNKS = 16

_START = {"rowsum": "0.0", "rowmax": "-math.inf"}


@dataclass
class StepPrinter:
    """Prints planned steps; ``stored`` are the values some read needs in their arrays (found by a first printing)."""

    plan: StepPlan
    stored: set[str] = field(default_factory=set)
    partials: dict[str, object] = field(default_factory=dict)
    dots: set[str] = field(default_factory=set)
    _read: set[str] = field(default_factory=set)
    _stated: set[str] = field(default_factory=set)

    def lines(self, blocks: list[list]) -> list[list[str]]:
        """Each block's lines; printed twice, the first time only to learn which values are read from arrays."""
        produced = {item.target for block in blocks for step in block if isinstance(step, Kernel) for item in step.items}
        self._print_all(blocks)
        self.stored = (self._read & produced) | {t for t in produced if t in self.plan.owned}
        self.stored |= {i.target for b in blocks for s in b if isinstance(s, Kernel) for i in s.items
                        if i.kind == "colsum" or (i.kind == "allsum" and self.plan.shapes[i.target] != ())}
        self._stated = set()
        return self._print_all(blocks)

    @property
    def buffers(self) -> dict[str, tuple]:
        """Arrays the step writes that are not the trainer's own: name -> shape."""
        return {name: self.plan.shapes[name] for name in sorted(self.stored | self.dots, key=_order(self.plan))
                if name not in self.plan.owned and name not in self.plan.aliases}

    def _print_all(self, blocks: list[list]) -> list[list[str]]:
        return [[line for step in block for line in self._step(step)] for block in blocks]

    def _comments(self, origins: list[str]) -> list[str]:
        lines = []
        for origin in dict.fromkeys(origins):
            if origin not in self._stated and origin in self.plan.originals:
                self._stated.add(origin)
                lines.append(f"# {origin} = {to_numpy(self.plan.originals[origin])}")
        return lines

    def _step(self, step) -> list[str]:
        if isinstance(step, Dot):
            self._read |= {step.left.removesuffix(".T"), step.right.removesuffix(".T")}
            self.dots.add(step.target)
            return self._comments([step.origin]) + [f"np.dot({step.left}, {step.right}, {step.target})"]
        if isinstance(step, Scalar):
            return self._comments([step.origin]) + [f"{step.target} = {self._code(step.expr, set(), None)}"]
        return self._comments([item.origin for item in step.items]) + self._kernel(step)

    def _code(self, expr: Basic, local: set[str], rows) -> str:
        def name(symbol: str) -> str:
            resolved = self.plan.resolve(symbol)
            if resolved in local:
                return f"{resolved}_"
            shape = self.plan.shapes.get(resolved, ())
            if shape == ():
                return resolved
            self._read.add(resolved)
            row = "0" if shape[0] == 1 else "n"
            return f"{resolved}[{row}, {'0' if shape[1] == 1 else 'i'}]"

        return ScalarPrinter(name).doprint(expr)

    def _kernel(self, kernel: Kernel) -> list[str]:
        rows, local, lines = kernel.rows, set(), []
        if kernel.across_rows:
            lines.append(f"for c in prange({CHUNKS}):")
            for item in kernel.items:
                if item.kind in ACROSS_ROWS:
                    width = item.columns if item.kind == "colsum" else 1
                    self.partials[f"_p{item.target}"] = width
                    lines.append(f"    _p{item.target}[c, :] = 0.0")
            lines.append(f"    for n in range(c * {rows} // {CHUNKS}, (c + 1) * {rows} // {CHUNKS}):")
            indent = "        "
        elif rows == 1:
            indent = ""
        else:
            lines.append(f"for n in prange({rows}):")
            indent = "    "
        for loop in kernel.loops:
            lines += [indent + line for line in self._loop(loop, local, parallel=indent == "")]
        return lines + self._totals(kernel)

    def _loop(self, loop: list[Item], local: set[str], parallel: bool) -> list[str]:
        """One inner loop over the columns (none for a single column); ``local`` learns the values it leaves."""
        columns, lines = loop[0].columns, []
        for item in loop:
            if item.kind in _START:
                lines.append(f"{item.target}_ = {_START[item.kind]}")
        body, inner = [], set(local)
        for item in loop:
            value = self._code(item.expr, inner, item.rows)
            target = item.target
            if item.kind == "map":
                body.append(f"{target}_ = {value}")
                inner.add(target)
                if target in self.stored:
                    body.append(f"{self._entry(target)} = {target}_")
            elif item.kind == "rowsum":
                body.append(f"{target}_ += {value}")
            elif item.kind == "rowmax":
                body.append(f"{target}_ = max({target}_, {value})")
            else:
                column = "i" if item.kind == "colsum" and columns != 1 else "0"
                body.append(f"_p{target}[c, {column}] += {value}")
        if columns == 1:
            lines += body
            local |= inner
        else:
            parallel = parallel and all(item.kind == "map" for item in loop)
            lines.append(f"for i in {'prange' if parallel else 'range'}({columns}):")
            lines += ["    " + line for line in body]
        for item in loop:
            if item.kind in _START:
                local.add(item.target)
                if item.target in self.stored:
                    lines.append(f"{self._entry(item.target)} = {item.target}_")
        return lines

    def _entry(self, name: str) -> str:
        rows, columns = self.plan.shapes[name]
        return f"{name}[{'0' if rows == 1 else 'n'}, {'0' if columns == 1 else 'i'}]"

    def _totals(self, kernel: Kernel) -> list[str]:
        """The sums of the chunks' partial totals, in chunk order, into their targets."""
        lines = []
        for item in (i for i in kernel.items if i.kind in ACROSS_ROWS):
            target, partial = item.target, f"_p{item.target}"
            if item.kind == "colsum":
                lines += [f"for i in range({item.columns}):", f"    {target}_ = 0.0", f"    for c in range({CHUNKS}):",
                          f"        {target}_ += {partial}[c, i]", f"    {target}[0, i] = {target}_"]
            else:
                lines += [f"{target}_ = 0.0", f"for c in range({CHUNKS}):", f"    {target}_ += {partial}[c, 0]"]
                scalar = self.plan.shapes[target] == ()
                lines.append(f"{target} = {target}_" if scalar else f"{target}[0, 0] = {target}_")
        return lines


def _order(plan: StepPlan):
    order = list(plan.shapes)
    return lambda name: order.index(name)
