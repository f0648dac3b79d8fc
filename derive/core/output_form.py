"""Find a derivative written in terms of the function's output, and prove it.

For ``y = f(x)`` a backward pass that already holds ``y`` can often skip
recomputing ``f``: sigmoid' = y(1 - y), tanh' = 1 - y², relu' = [y > 0].
Candidates come from substituting ``f -> y`` or from solving ``y = f(x)`` for
``x``; a candidate is kept only when SymPy proves it equal to the raw
derivative.  Piecewise functions are handled branch by branch: each branch's
image becomes the condition on ``y``, and the images must not overlap.
"""

from collections.abc import Iterator

from sympy import (
    Eq, Expr, FiniteSet, Integer, Interval, Piecewise, Rational, S, Symbol, factor, refine, simplify, solve, true,
)
from sympy.calculus.util import function_range

from derive.core.proof import is_zero, prove_equal

__all__ = ["find_output_form"]


def find_output_form(f: Expr, df: Expr, x: Symbol, y: Symbol) -> Expr | None:
    """Return ``g(y)`` with ``g(f(x)) == df(x)`` proven, or None when there is none."""
    if isinstance(f, Piecewise):
        return _piecewise_output_form(f, df, x, y)
    for candidate in _candidates(f, df, x, y):
        if not candidate.has(x) and prove_equal(candidate.subs(y, f), df):
            return candidate
    return None


def _candidates(f: Expr, df: Expr, x: Symbol, y: Symbol) -> Iterator[Expr]:
    """Plausible output forms of ``df``, cheapest first; none of them trusted yet.

    ``df`` with ``f`` written as ``y`` is simplified only when it may be free of
    ``x``: simplifying one that varies with ``x`` (gelu_tanh's) takes seconds
    and gives a form ``find_output_form`` rejects.
    """
    substituted = df.subs(f, y)
    if not _varies_with(substituted, x):
        yield simplify(substituted)
    # Solving is tried only when x occurs once in f: f is then a chain of
    # one-argument steps that ``solve`` inverts quickly.  With x in several
    # places (x*sigmoid(x)) it can take minutes and finds nothing usable.
    if f.count(x) != 1:
        return
    for preimage in _preimages(f, x, y) or []:
        candidate = simplify(df.subs(x, preimage))
        yield candidate
        yield factor(candidate)


#: Values ``_varies_with`` gives ``x`` and, where their assumptions allow, the other symbols.
_PROBES = (Rational(1, 3), Rational(5, 7), Integer(2), Rational(-2, 3), Integer(-3))


def _varies_with(expr: Expr, x: Symbol) -> bool:
    """True when ``expr`` takes two clearly different real values at two values of ``x``, the rest held fixed.

    Then no expression equal to it is free of ``x``.  Evaluated at 30 digits;
    False (not shown) when a symbol has no probe its assumptions allow or a
    value is not a finite real number.
    """
    fixed = {}
    for symbol in sorted(expr.free_symbols - {x}, key=str):
        allowed = [p for p in _PROBES if all(getattr(p, f"is_{k}") == v for k, v in symbol.assumptions0.items())]
        if not allowed:
            return False
        fixed[symbol] = allowed[0]
    values = []
    for point in _PROBES[:2]:
        try:
            value = expr.evalf(30, subs={**fixed, x: point})
        except (TypeError, ValueError, ArithmeticError):
            return False
        if not (value.is_Number and value.is_extended_real and value.is_finite):
            return False
        values.append(value)
    low, high = values
    return abs(low - high) > Rational(1, 10**10) * (1 + abs(low) + abs(high))


def _preimages(f: Expr, x: Symbol, y: Symbol) -> list[Expr] | None:
    """The solutions ``x`` of ``y = f(x)``, or None when SymPy has no method for the equation."""
    try:
        return solve(Eq(y, f), x)
    except NotImplementedError:
        return None


def _image(f: Expr, x: Symbol, domain) -> object | None:
    """The set ``f(domain)``, or None when SymPy cannot compute it."""
    try:
        return function_range(f, x, domain)
    except NotImplementedError:
        return None


def _branches(f: Piecewise, x: Symbol) -> list[tuple[Expr, object]]:
    """The ``(expression, domain)`` pairs of a univariate Piecewise, domains disjoint."""
    return [(value, domain) for value, domain in f.as_expr_set_pairs(S.Reals) if domain is not S.EmptySet]


def _piecewise_output_form(f: Piecewise, df: Expr, x: Symbol, y: Symbol) -> Expr | None:
    """Build ``Piecewise((g_b(y), y in image_b), ...)`` over the branches of ``f``.

    The result is proven when the branch images are disjoint (so ``y`` alone
    tells which branch produced it) and, on each branch's domain,
    ``g_b(f_b(x))`` equals the raw derivative.
    """
    pieces = []
    for value, domain in _branches(f, x):
        derivative = _on_domain(df, x, domain)
        if derivative.has(x):
            preimages = _preimages(value, x, y)
            if preimages is None:
                return None
            solved = {simplify(derivative.subs(x, p)) for p in preimages}
            if len(solved) != 1:
                return None
            (candidate,) = solved
        else:
            candidate = derivative
        if candidate.has(x) or not _equal_on(candidate.subs(y, value), derivative, x, domain):
            return None
        image = _image(value, x, domain)
        if image is None:
            return None
        pieces.append((candidate, image))
    if not _disjoint([image for _, image in pieces]):
        return None
    # Branches whose image is a single point go last: an equality test on
    # floats is fragile, so such a branch is best reached as the default.
    pieces.sort(key=lambda piece: isinstance(piece[1], FiniteSet))
    conditions = [_separating(image, [later for _, later in pieces[k + 1:]], y) for k, (_, image) in enumerate(pieces)]
    return Piecewise(*[(g, c) for (g, _), c in zip(pieces[:-1], conditions)], (pieces[-1][0], true))


def _separating(image, later: list, y: Symbol):
    """The simplest condition on ``y`` true on ``image`` and false on every ``later`` image.

    ``(-alpha, 0]`` before ``(0, oo)`` needs only ``y <= 0``; failing a
    one-sided bound, the image's own interval condition is used.
    """
    if isinstance(image, Interval) and later and all(isinstance(other, Interval) for other in later):
        if all((other.inf >= image.sup) is S.true for other in later):
            above_open = all(other.left_open or (other.inf > image.sup) is S.true for other in later)
            if image.sup.is_finite and above_open:
                return y <= image.sup
        if all((other.sup <= image.inf) is S.true for other in later):
            below_open = all(other.right_open or (other.sup < image.inf) is S.true for other in later)
            if image.inf.is_finite and below_open:
                return y >= image.inf
    return image.as_relational(y)


def _on_domain(expr: Expr, x: Symbol, domain) -> Expr:
    """Resolve a Piecewise ``expr`` to the single branch that holds on ``domain``."""
    if not isinstance(expr, Piecewise):
        return expr
    for value, where in expr.as_expr_set_pairs(S.Reals):
        if domain.is_subset(where):
            return value
    return expr


def _equal_on(a: Expr, b: Expr, x: Symbol, domain) -> bool:
    """True when SymPy proves ``a == b`` for every ``x`` in ``domain``."""
    difference = a - b
    if domain != S.Reals:
        difference = refine(difference, domain.as_relational(x))
    return is_zero(difference)


def _disjoint(images: list) -> bool:
    """True when no two branch images share a point, so ``y`` names its branch."""
    return all(
        _disjoint_pair(images[a], images[b])
        for a in range(len(images))
        for b in range(a + 1, len(images))
    )


def _disjoint_pair(a, b) -> bool:
    """True when SymPy shows two images (intervals or points) have no common point.

    ``Intersection`` leaves symbolic bounds such as ``(-alpha, 0]`` unevaluated,
    so intervals are compared end to end instead.
    """
    if a.intersect(b) is S.EmptySet:
        return True
    if isinstance(a, FiniteSet) or isinstance(b, FiniteSet):
        points, other = (a, b) if isinstance(a, FiniteSet) else (b, a)
        return all(other.contains(point) is S.false for point in points)
    if isinstance(a, Interval) and isinstance(b, Interval):
        first, second = (a, b) if (a.sup <= b.inf) is S.true else (b, a)
        if (first.sup < second.inf) is S.true:
            return True
        return bool((first.sup <= second.inf) is S.true and (first.right_open or second.left_open))
    return False
