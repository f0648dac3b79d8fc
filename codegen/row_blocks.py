"""A training step's runs of row-wise calls as block functions, which ``Trainer._rows`` runs on row blocks of the batch.

Scheduling only: a block's body is the calls ``codegen.inplace`` printed, as
they are; its parameters are the batch-row arrays those calls use, which
``_rows`` (``codegen/runtime/trainer_threads.py``) passes whole or as row
slices, then every other name their text reads (a bias, a scalar, a size), passed whole.
So a block reads nothing of the step it is called from: the ``Trainer``
defines it once, as a static method.  A run of calls is a block when every call is row-wise
(``Call.rowwise``: each row it writes depends on the same row of what it
reads alone) and writes an array of the batch's rows; any other call (a
product, a sum over rows, a draw, a scalar computed from arrays) runs
between blocks, unsplit.  Bindings (``out = inp3``) and scalars read from no
array (``_t0 = 1/N``) met inside a run move before its block.
"""

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import count

from sympy import Integer, Symbol

from .buffers import Call
from .operations import Shape

__all__ = ["RowBlocks", "row_blocks"]


@dataclass(frozen=True)
class RowBlocks:
    """The step's lines, each run of row-wise calls a call of its block; the blocks' lines; the widest's columns.

    ``functions`` holds each block function's lines, its ``def`` first;
    ``widest`` is the columns the widest block writes a row.
    """

    lines: list[str]
    functions: list[list[str]]
    widest: int


def row_blocks(calls: list[Call], shapes: Mapping[str, Shape], rows: Symbol) -> RowBlocks:
    """``calls`` printed with each run of row-wise calls on arrays of ``rows`` rows as a call of a block ``_rowsK``.

    ``shapes`` gives the shape of every array the calls name.
    """
    batch = {name for name, shape in shapes.items() if shape and shape[0] == rows}

    def in_block(call: Call) -> bool:
        return (call.rowwise and call.writes in batch and isinstance(shapes[call.writes][1], int | Integer)
                and not any(rows in shapes[name][1:] for name in call.names if name in shapes))

    def before_block(call: Call) -> bool:
        return call.binds is not None or (call.writes is None and not call.comment
                                          and not any(shapes.get(name) for name in call.reads))

    lines, functions, widest, run, moved, numbers = [], [], 0, [], [], count()

    def flush() -> None:
        nonlocal widest, run, moved
        end = len(run)
        while end and run[end - 1].comment:  # comments of the calls after the run stay with them
            end -= 1
        run, moved = run[:end], moved + run[end:]
        body = [call for call in run if not call.comment]
        if not body:
            lines.extend(call.text for call in run + moved)
        else:
            name = f"_rows{next(numbers)}"
            arrays = list(dict.fromkeys(n for call in body for n in sorted(call.names) if n in batch))
            shared = sorted(set().union(*(_names(call.text) for call in body)) - batch - {"np"})
            width = sum(int(shapes[call.writes][1]) for call in body)
            lines.extend(call.text for call in moved if not call.comment)
            functions.append([f"def {name}({', '.join(arrays + shared)}):", *(f"    {call.text}" for call in run)])
            rows_tuple = f"({', '.join(arrays)}{',' if len(arrays) == 1 else ''})"
            lines.append(f"self._rows(self.{name}, {width}, {', '.join([rows_tuple, *shared])})")
            lines.extend(call.text for call in moved if call.comment)
            widest = max(widest, width)
        run, moved = [], []

    for call in calls:
        if in_block(call) or (call.comment and run):
            run.append(call)
        elif run and before_block(call):
            moved.append(call)
        else:
            flush()
            if call.comment:
                run.append(call)
            else:
                lines.append(call.text)
    flush()
    return RowBlocks(lines, functions, widest)


def _names(text: str) -> set[str]:
    """Every name a printed call reads (its record keeps the arrays alone, not the sizes ``N`` and ``C``)."""
    return {node.id for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Name)}
