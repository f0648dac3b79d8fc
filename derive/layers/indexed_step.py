"""A window layer's derived sums as assignments of a network, whose arrays are stored flat.

A network keeps every array two-dimensional: a batch of images is
``(N, channels·height·width)`` in row-major order, a convolution's kernel
``(filters, channels·rows·columns)``.  A layer's definition and VJPs
(``derive.layers.indexed_layers``) index those arrays as images.
``IndexedStep`` is one such sum, its arrays renamed to the network's, with
the shape each array is read in and the shape its result is stored in;
``FirstMaximum`` is max pooling's window indicator ``M``.  Printers lower
both through ``codegen.window_lowering``.
"""

from collections.abc import Iterable, Mapping

from sympy import Add, Basic, Indexed, IndexedBase, Integer, Mul, Symbol, Tuple

from derive.layers.index_calculus import IndexForm

__all__ = ["IndexedStep", "FirstMaximum", "BATCH"]

#: The batch axis in a shape: as NumPy's ``reshape`` reads ``-1``, the size the array's length leaves.
BATCH = -1


def _shape(shape: Iterable[int]) -> Tuple:
    return Tuple(*(Integer(side) for side in shape))


class IndexedStep(Basic):
    """``target = Σ forms`` over views of flat arrays: ``views`` maps each array to the shape it is read in.

    ``shape`` is the target as the forms index it and ``stored`` the shape
    it is kept in (``BATCH`` for the batch axis in both).  The target's name
    is the assignment's, so the step reads only the arrays it names.
    """

    @classmethod
    def of(cls, forms: Iterable[IndexForm], views: Mapping[str, tuple[int, ...]], shape: tuple[int, ...],
           stored: tuple[int, ...]) -> "IndexedStep":
        terms = Tuple(*(Tuple(Tuple(*f.target.indices), f.summand, Tuple(*(Tuple(*limit) for limit in f.limits)),
                              Tuple(*f.conditions)) for f in forms))
        bound = Tuple(*(Tuple(Symbol(name, real=True), _shape(view)) for name, view in views.items()))
        return cls(terms, bound, _shape(shape), _shape(stored))

    @property
    def views(self) -> dict[str, tuple[int, ...]]:
        return {str(name): tuple(int(side) for side in view) for name, view in self.args[1]}

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(int(side) for side in self.args[2])

    @property
    def stored(self) -> tuple[int, ...]:
        return tuple(int(side) for side in self.args[3])

    def forms(self, target: str) -> list[IndexForm]:
        """The sum's terms as index forms into ``target``."""
        base = IndexedBase(target, real=True)
        return [IndexForm(base[tuple(indices)], summand, tuple(tuple(limit) for limit in limits), tuple(conditions))
                for indices, summand, limits, conditions in self.args[0]]

    def is_linear_in(self, names: set[str]) -> bool:
        """True when every term is a product reading exactly one entry of the arrays ``names``."""
        return all(sum(isinstance(f, Indexed) and str(f.base.label) in names for f in Mul.make_args(summand)) == 1
                   for _, summand, _, _ in self.args[0])

    def _sum(self, target: str):
        return Add(*(form.expr for form in self.forms(target)), evaluate=False)

    def _sympystr(self, printer) -> str:
        return printer._print(self._sum("Z"))

    def _latex(self, printer) -> str:
        return printer._print(self._sum("Z"))


class FirstMaximum(Basic):
    """Max pooling's ``M[n, c, i, j, p, q]``: 1 at the first maximum (row-major) of each window of ``array``, else 0.

    ``array`` is read in ``view`` ``(BATCH, channels, height, width)``;
    windows are ``window`` rows × columns at ``stride``, valid only.
    """

    @classmethod
    def of(cls, array: str, view: tuple[int, ...], window: tuple[int, int], stride: int) -> "FirstMaximum":
        return cls(Symbol(array, real=True), _shape(view), _shape(window), Integer(stride))

    @property
    def array(self) -> str:
        return str(self.args[0])

    @property
    def view(self) -> tuple[int, ...]:
        return tuple(int(side) for side in self.args[1])

    @property
    def window(self) -> tuple[int, int]:
        return tuple(int(side) for side in self.args[2])

    @property
    def stride(self) -> int:
        return int(self.args[3])

    def _sympystr(self, printer) -> str:
        return f"[first maximum of each {self.window[0]}×{self.window[1]} window of {self.array}, stride {self.stride}]"

    def _latex(self, printer) -> str:
        rows, columns = self.window
        return (rf"\left[\text{{first maximum of each }} {rows} \times {columns} \text{{ window of }}"
                rf"{printer._print(self.args[0])}\right]")
