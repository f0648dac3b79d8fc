"""Lower an indexed sum with shifted indices to NumPy: window views, then one contraction.

Each axis of each array in the sum is read at an index of one of these shapes:

* ``v``: the axis as it is;
* ``a - v`` with ``a`` the axis's last position: the axis flipped (``P - 1 - r``);
* ``s·u + v + γ``: a window: ``u`` steps by the stride ``s``, ``v`` runs over
  the window; the axis is zero-padded where ``γ < 0`` or the windows pass its
  end, then ``np.lib.stride_tricks.sliding_window_view`` gives ``u`` and ``v``;
* ``(u + v + γ)/d``: the same over the axis dilated by ``d`` (``d - 1`` zeros
  between entries), where the sum's ``Mod(u + v + γ, d) = 0`` conditions hold;
* ``Σ_a c_a·a`` with the axes' row-major strides as ``c_a``: a reshape.

Every condition of the sum must be one these zeros stand for (an index
kept in its axis, a divisibility by the dilation); anything else is a
``LoweringError``.  The arrays, so prepared, are contracted by
``np.tensordot`` (BLAS) when two arrays share no kept index, else by
``np.einsum``.  The result is a list of ``(name, code)`` statements.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import ascii_letters

from sympy import Eq, Expr, Indexed, Mod, Mul, Rational, Symbol, expand, fraction, sympify
from sympy.core.relational import GreaterThan, LessThan, StrictGreaterThan, StrictLessThan

from derive.layers.index_calculus import IndexForm

from .lowering import LoweringError

__all__ = ["lower_index_form", "lower_index_sum"]

_WINDOWS = "np.lib.stride_tricks.sliding_window_view"


@dataclass
class _Operand:
    """One array of the sum, as code, and the einsum letters of its axes after its views."""

    code: str
    letters: list[str]
    covered: set = field(default_factory=set)


def lower_index_sum(forms: list[IndexForm], shapes: Mapping[str, tuple[int, ...]], target: str,
                    temporaries: str = "_w") -> list[tuple[str, str]]:
    """Statements computing ``target`` as the sum of ``forms`` (terms of one definition, same target)."""
    statements, terms = [], []
    for number, form in enumerate(forms):
        lines, code = _lowered(form, shapes, f"{temporaries}{number}_")
        statements += lines
        terms.append(code)
    statements.append((target, " + ".join(terms)))
    return statements


def lower_index_form(form: IndexForm, shapes: Mapping[str, tuple[int, ...]], target: str,
                     temporaries: str = "_w") -> list[tuple[str, str]]:
    """Statements computing the one ``form`` into ``target``."""
    return lower_index_sum([form], shapes, target, temporaries)


def _lowered(form: IndexForm, shapes: Mapping, prefix: str) -> tuple[list[tuple[str, str]], str]:
    """The statements preparing each array of ``form``, and the code of its contraction."""
    coefficient, arrays = _factors(form.summand)
    summed = {v: high - low + 1 for v, low, high in form.limits}
    if any(low != 0 for _, low, _ in form.limits):
        raise LoweringError(f"{form}: sums must start at 0")
    free = list(form.target.indices)
    bounds = {**dict(zip(free, shapes[str(form.target.base.label)])), **summed}
    letters = {index: ascii_letters[number] for number, index in enumerate(free + list(summed))}
    statements, operands, covered = [], [], set()
    for number, entry in enumerate(arrays):
        name = f"{prefix}{number}"
        lines, operand = _prepared(entry, shapes[str(entry.base.label)], summed, bounds, letters, name)
        statements += lines
        operands.append(operand)
        covered |= operand.covered
    for condition in form.conditions:
        if _key(condition) not in covered:
            raise LoweringError(f"{form}: the condition {condition} is not an index kept in its array")
    output = "".join(letters[index] for index in free if isinstance(index, Symbol))
    code = _contraction(operands, output)
    if coefficient != 1:
        code = f"{_number(coefficient)}*{code}"
    return statements, code


def _factors(summand: Expr) -> tuple[Expr, list[Indexed]]:
    """The numeric coefficient of a product of array entries, and the entries."""
    coefficient, rest = summand.as_coeff_Mul()
    entries = list(Mul.make_args(rest))
    if not all(isinstance(e, Indexed) for e in entries):
        raise LoweringError(f"{summand}: a product of array entries and a number only")
    return coefficient, entries


def _number(value: Expr) -> str:
    value = sympify(value)
    return f"({value.p}/{value.q})" if isinstance(value, Rational) and value.q != 1 else str(value)


def _key(condition) -> tuple:
    """A condition in one spelling: ``("margin", m)`` for ``m >= 0``, ``("divides", Mod(e, d))`` for ``d | e``."""
    if isinstance(condition, Eq) and isinstance(condition.lhs, Mod) and condition.rhs == 0:
        return ("divides", condition.lhs)
    if isinstance(condition, (GreaterThan, StrictGreaterThan, LessThan, StrictLessThan)):
        margin = expand(condition.gts - condition.lts)
        if isinstance(condition, (StrictGreaterThan, StrictLessThan)):
            margin = margin - 1
        return ("margin", _monic(margin))
    return ("other", condition)


def _monic(margin: Expr) -> Expr:
    """``margin`` scaled so that ``margin >= 0`` reads the same whatever positive factor SymPy kept."""
    numerator, denominator = fraction(expand(margin).together())
    return expand(numerator)


def _prepared(entry: Indexed, shape: tuple, summed: dict, bounds: dict, letters: dict, name: str):
    """Views of ``entry``'s array so that each axis is indexed by letters: flips, dilations, pads, windows."""
    code, statements = str(entry.base.label), []
    axis_letters, windows, covered = [], [], set()
    flips, pads, dilations, slices = [], [], [], []
    if _is_reshape(entry, summed):
        return [], _Operand(f"{code}.reshape({', '.join(map(str, _reshaped(entry, shape)))})",
                            [letters[a] for a in _flat_order(entry)])
    for axis, (index, size) in enumerate(zip(entry.indices, shape)):
        index = expand(index)
        covered |= {("margin", _monic(index)), ("margin", _monic(size - 1 - index))}
        if isinstance(index, Symbol):
            axis_letters.append(letters[index])
            continue
        symbols = sorted(index.free_symbols, key=str)
        if len(symbols) == 1 and index.coeff(symbols[0]) == -1 and index + symbols[0] == size - 1:
            flips.append(axis)
            axis_letters.append(letters[symbols[0]])
            continue
        dilation = fraction(index.together())[1]
        scaled = expand(index * dilation)
        if dilation != 1:
            covered.add(("divides", Mod(scaled, dilation)))
            dilations.append((axis, int(dilation)))
        window = next((v for v in symbols if scaled.coeff(v) == 1 and v in summed), None)
        window = window if window is not None else next(v for v in symbols if scaled.coeff(v) == 1)
        (step,) = [v for v in symbols if v != window]
        stride, offset = int(scaled.coeff(step)), int(scaled.subs({step: 0, window: 0}))
        steps, extent = _extent(step, bounds), _extent(window, bounds)
        length = (size - 1) * dilation + 1
        before = max(-offset, 0)
        after = max(stride * (steps - 1) + extent + offset - length, 0)
        pads.append((axis, before, after, max(offset, 0)))
        windows.append((axis, extent))
        slices.append((axis, stride, steps))
        axis_letters.append(letters[step])
        axis_letters.append(("window", letters[window]))
    if flips:
        code = f"np.flip({code}, axis={_axes(flips)})"
    if dilations:
        if code != str(entry.base.label):
            statements.append((f"{name}f", code))
            code = f"{name}f"
        statements += _dilate(name, code, dict(dilations), len(entry.indices))
        code = name
    if pads:
        widths = [(0, 0)] * len(entry.indices)
        for axis, before, after, _ in pads:
            widths[axis] = (before, after)
        if any(width != (0, 0) for width in widths):
            code = f"np.pad({code}, {widths})"
        starts = [slice(None)] * len(entry.indices)
        for axis, _, _, start in pads:
            if start:
                starts[axis] = f"{start}:"
        if any(s != slice(None) for s in starts):
            code = f"{code}[{', '.join(':' if s == slice(None) else s for s in starts)}]"
        extents = tuple(e for _, e in windows)
        code = f"{_WINDOWS}({code}, {extents[0] if len(extents) == 1 else extents}, axis={_axes([a for a, _ in windows])})"
        picks = [":"] * len(entry.indices)
        for axis, stride, steps in slices:
            picks[axis] = f":{stride * (steps - 1) + 1}:{stride}" if stride != 1 else f":{steps}"
        code = f"{code}[{', '.join(picks)}]"
    kept = [a for a in axis_letters if not isinstance(a, tuple)] + [a[1] for a in axis_letters if isinstance(a, tuple)]
    return statements, _Operand(code, kept, covered)


def _axes(axes: list[int]) -> str:
    return str(axes[0]) if len(axes) == 1 else str(tuple(axes))


def _extent(index: Symbol, bounds: dict) -> int:
    """How many values ``index`` takes: its sum's, or the target's axis it names."""
    return int(bounds[index])


def _dilate(name: str, code: str, dilations: dict[int, int], rank: int) -> list[tuple[str, str]]:
    """``name`` = ``code`` with ``d - 1`` zeros between its entries along each axis dilated by ``d``."""
    grown = ", ".join(f"{d}*{code}.shape[{a}] - {d - 1}" if (d := dilations.get(a, 1)) != 1 else f"{code}.shape[{a}]"
                      for a in range(rank))
    picks = ", ".join(f"::{dilations[a]}" if a in dilations else ":" for a in range(rank))
    return [(name, f"np.zeros(({grown}))"), (f"{name}[{picks}]", code)]


def _is_reshape(entry: Indexed, summed: dict) -> bool:
    """True when an axis is read at a combination of free indices only: a flattened axis, opened by a reshape."""
    return any(not isinstance(index, Symbol) and len(index.free_symbols) > 1 and not index.free_symbols & set(summed)
               for index in map(expand, entry.indices))


def _flat_order(entry: Indexed) -> list[Symbol]:
    """The indices of ``entry`` with each flattened axis opened into its indices, largest stride first."""
    order = []
    for index in entry.indices:
        index = expand(index)
        if isinstance(index, Symbol):
            order.append(index)
        else:
            order += sorted(index.free_symbols, key=lambda v: -int(index.coeff(v)))
    return order


def _reshaped(entry: Indexed, shape: tuple) -> list[int]:
    """The shape that opens each flattened axis of ``entry`` into one axis per index (row-major)."""
    sizes = []
    for index, size in zip(entry.indices, shape):
        index = expand(index)
        if isinstance(index, Symbol):
            sizes.append(-1 if not sizes else size)
            continue
        strides = sorted((int(index.coeff(v)) for v in index.free_symbols), reverse=True)
        opened = [size // strides[0]] + [a // b for a, b in zip(strides, strides[1:])]
        sizes += opened
    return sizes


def _in_order(letters: list[str], output: str) -> bool:
    positions = [output.index(a) for a in letters]
    return positions == sorted(positions)


def _contraction(operands: list[_Operand], output: str) -> str:
    """``np.tensordot`` of two operands sharing only summed letters; ``np.einsum`` otherwise; one operand as it is."""
    if len(operands) == 1 and "".join(operands[0].letters) == output:
        return operands[0].code
    if len(operands) == 1 and set(operands[0].letters) < set(output) and _in_order(operands[0].letters, output):
        picks = ", ".join(":" if a in operands[0].letters else "None" for a in output)
        return f"{operands[0].code}[{picks}]"
    if len(operands) == 2:
        first, second = operands
        shared = [a for a in first.letters if a in second.letters]
        repeated = any(len(set(o.letters)) != len(o.letters) for o in operands)
        only = [a for o in operands for a in o.letters if a not in output and sum(a in p.letters for p in operands) == 1]
        if shared and not repeated and not only and not any(a in output for a in shared):
            axes = ([first.letters.index(a) for a in shared], [second.letters.index(a) for a in shared])
            kept = [a for a in first.letters if a not in shared] + [a for a in second.letters if a not in shared]
            code = f"np.tensordot({first.code}, {second.code}, axes=({list(axes[0])}, {list(axes[1])}))"
            order = tuple(kept.index(a) for a in output)
            return code if order == tuple(range(len(order))) else f"{code}.transpose{order}"
    subscripts = ",".join("".join(o.letters) for o in operands)
    arguments = ", ".join(o.code for o in operands)
    return f"np.einsum('{subscripts}->{output}', {arguments}, optimize=True)"
