"""The accuracy search: the most accurate proven form of a function of one variable.

As Herbie does it (Panchekha et al., PLDI 2015): sample the function exactly
(``sample``), measure each candidate's error in float64 (``score``), find
the operations that lose accuracy (``localise``), and rewrite with a database
of identities (``rules``) and SymPy's own algebra (``together``, ``cancel``,
``factor``), a few steps deep, keeping the best few forms at each step;
a part that overflows where its value has stopped changing is clamped
(``clamping``).  Where no single form serves the whole line, two are joined
at a split point (``regimes``), one of them possibly the Taylor polynomial
about 0 (``series``).  The most accurate form wins; ties go to fewer
operations, then to the shorter text.

Every step is recorded (``Step``): the ledger replays each derivation and
checks each step is an instance of a proven rule, an equality SymPy proves,
or a numerically checked clamp or polynomial (``replay``), so the printed
form is the function.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sympy import (
    Expr, Piecewise, PolynomialError, S, Symbol, cancel, count_ops, factor, preorder_traversal, together, true,
)

from derive.core.errors import DefinitionError
from derive.stability.branch_clips import clip_branches
from derive.stability.clamping import clamped_parts
from derive.stability.localise import culprits
from derive.stability.regimes import best_split, simple_between
from derive.stability.rules import RULES, everywhere, rewrites
from derive.stability.sample import WELL_CONDITIONED, sample
from derive.stability.score import ACCURATE_ULPS, Score, score
from derive.stability.series import SERIES, series_holds, taylor

__all__ = ["Step", "Derivation", "Found", "most_accurate", "cost", "AS_IS", "SEARCH", "HAND", "SATURATE", "CLIP", "ALGEBRA"]

#: How a printed form was found: SymPy's own form, the search's, or a hand form the catalogue states.
AS_IS, SEARCH, HAND = "SymPy as is", "search", "hand"
#: The step that clamps the input of a part that saturates.
SATURATE = "clamp x where the part saturates in float64 (checked at 50 digits)"
#: Forms kept at each step, and steps taken.
BEAM, DEPTH = 3, 3
#: SymPy's algebra is tried on operations up to this size (larger ones take seconds).
_ALGEBRA_SIZE = 40
#: Algebra's results up to this size are also normalised by every rule; larger ones take minutes to match.
_NORMALISED_SIZE = 16
#: SymPy's own algebra, by the name a step records.
ALGEBRA = {"together": together, "cancel": cancel, "factor": factor}
#: The step that clips a branch's input to the range the branch is taken in.
CLIP = "clip to the branch"


@dataclass(frozen=True)
class Step:
    """One rewrite: the subexpression ``before`` replaced by ``after``, by ``rule``."""

    rule: str
    before: Expr
    after: Expr


@dataclass(frozen=True)
class Derivation:
    """``form``, reached by ``steps`` in order from ``start``: the function itself, or a seed named ``origin``."""

    start: Expr
    form: Expr
    origin: str = AS_IS
    steps: tuple[Step, ...] = ()

    def then(self, step: Step) -> "Derivation":
        return Derivation(self.start, self.form.xreplace({step.before: step.after}), self.origin,
                          (*self.steps, step))


@dataclass(frozen=True)
class Found:
    """The chosen form of a function, how it was found, its derivations, and its accuracy before and after.

    ``how`` is the origin of a form taken as it was (``AS_IS``, a seed's or
    a given form's label) or ``SEARCH`` for a form the search rewrote.
    ``pieces`` pairs each derivation with the condition under which the
    form uses it (one piece with condition True unless the line was split).
    ``shortfall`` says where the form misses the accuracy target, when it does.
    """

    form: Expr
    how: str
    pieces: tuple[tuple[Derivation, object], ...]
    accuracy: Score
    as_is: Score
    shortfall: str | None


def most_accurate(
    function: Expr, x: Symbol, item: str, what: str, *,
    params: Mapping[Symbol, float] | None = None, kinks: Iterable[float] = (),
    seeds: Mapping[str, Expr] | None = None, given: Mapping[str, Expr] | None = None,
    preferred: str | None = None,
) -> Found:
    """The most accurate proven form of ``function``; a DefinitionError when every form fails somewhere.

    ``params`` are measured at their defaults.  ``seeds`` are forms proven
    equal elsewhere (a hand form the catalogue states) that the search
    starts from as well as from the function.  ``given`` holds forms proven
    elsewhere that are only compared (the output form on the computed ``y``),
    each under its label; one wins only by being more accurate than the
    search's best, or as accurate and cheaper, except the ``preferred``
    label, which wins whenever it is as accurate.
    """
    values = {symbol: value for symbol, value in (params or {}).items()}
    measured = sample(function.xreplace(values), x, kinks)

    def rated(form: Expr) -> Score:
        return score(form.xreplace(values), x, measured)

    scores: dict[Expr, Score] = {}
    derivations: dict[Expr, Derivation] = {}

    def consider(derivation: Derivation) -> None:
        if derivation.form not in scores:
            scores[derivation.form] = rated(derivation.form)
            derivations[derivation.form] = derivation

    consider(Derivation(function, function))
    for label, seed in (seeds or {}).items():
        consider(Derivation(seed, seed, label))
    frontier = _best(list(scores), scores)[:BEAM]
    for _ in range(DEPTH):
        before = set(scores)
        for rank, form in enumerate(frontier):
            for derivation in _neighbours(derivations[form], x, scores[form], values, localise=rank == 0):
                consider(derivation)
        added = [f for f in scores if f not in before]
        if not added:
            break
        frontier = _best(added + frontier, scores)[:BEAM]
    ranked = _best(list(scores), scores)
    # A Taylor polynomial holds only near 0: it may serve one side of a split, never the whole line.
    best = next(derivations[f] for f in ranked if not _approximate(derivations[f]))
    pieces: tuple[tuple[Derivation, object], ...] = ((best, true),)
    chosen, accuracy = best.form, scores[best.form]
    if not accuracy.meets_targets:
        # SymPy's series takes seconds: the polynomial is made only when a split is needed.
        polynomial = taylor(function, x)
        near_zero = [] if polynomial is None else [Derivation(function, polynomial, steps=(
            Step(SERIES, function, polynomial),))]
        for derivation in near_zero:
            consider(derivation)
        candidates = list(dict.fromkeys(ranked[:8] + [d.form for d in near_zero]))
        split = best_split([(derivations[f], scores[f]) for f in candidates], x, measured, rated)
        split = _within_series_range(split, x, rated)
        if split is not None and _worth_splitting(accuracy, split[2]):
            pieces, chosen, accuracy = split
    how = pieces[0][0].origin if len(pieces) == 1 and not pieces[0][0].steps else SEARCH
    for label, form in (given or {}).items():
        form_accuracy = rated(form)
        if form_accuracy.rank == accuracy.rank and label == preferred or (
                (form_accuracy.rank, cost(form)) < (accuracy.rank, cost(chosen))):
            chosen, how, accuracy, pieces = form, label, form_accuracy, ((Derivation(form, form, label), true),)
    if all(scores[f].failures == len(measured.points) for f in scores if not _approximate(derivations[f])):
        raise DefinitionError(item, f"cannot be printed as NumPy: no form of {what} = {function} that NumPy "
                              "computes", "use functions NumPy has")
    if accuracy.failures:
        raise DefinitionError(item, _shortfall(what, accuracy), "give a hand form with computed_as= or "
                              "derivative_computed_as= that is finite there, proven equal")
    shortfall = None if accuracy.meets_targets else _shortfall(what, accuracy)
    return Found(chosen, how, pieces, accuracy, scores[function], shortfall)


def _within_series_range(split, x: Symbol, rated):
    """``split`` with a Taylor polynomial's side narrowed, by halves, to where the polynomial holds (None if nowhere)."""
    if split is None or not _approximate(split[0][0][0]):
        return split
    (inside, condition), (outside, _) = split[0]
    holds = lambda r: series_holds(inside.start, inside.form, x, float(r))  # noqa: E731
    if holds(condition.rhs):
        return split
    low, high = condition.rhs / 2, condition.rhs
    while not holds(low):
        low, high = low / 2, low
        if low < S(2) ** -60:
            return None
    for _ in range(6):  # the largest radius that holds, to 1/64 of an octave, as a short binary number
        middle = simple_between(float(low), float(high))
        low, high = (middle, high) if holds(middle) else (low, middle)
    radius = low
    condition = condition.func(condition.lhs, radius)
    joined = clip_branches(Piecewise((inside.form, condition), (outside.form, true)), x)
    return ((inside, condition), (outside, true)), joined, rated(joined)


def _approximate(derivation: Derivation) -> bool:
    return any(step.rule == SERIES for step in derivation.steps)


def _worth_splitting(whole: Score, split: Score) -> bool:
    """A split earns its branch by removing failures, half the inaccurate points at no loss of bits, or half a
    bit of mean error."""
    if split.failures != whole.failures:
        return split.failures < whole.failures
    fewer_inaccurate = split.inaccurate <= whole.inaccurate // 2 and split.mean_bits <= whole.mean_bits
    return fewer_inaccurate or split.mean_bits <= whole.mean_bits - 0.5


def cost(form: Expr) -> tuple[int, int]:
    """Operations, a choice between branches counting as one more (both are computed), then the text's length."""
    return count_ops(form) + len(form.atoms(Piecewise)), len(str(form))


def _best(forms: list[Expr], scores: Mapping[Expr, Score]) -> list[Expr]:
    """``forms`` without repeats, most accurate first; ties to the lower ``cost``, then by text."""
    unique = list(dict.fromkeys(forms))
    return sorted(unique, key=lambda f: (scores[f].rank, cost(f), str(f)))


def _neighbours(derivation: Derivation, x: Symbol, accuracy: Score, values, localise: bool) -> list[Derivation]:
    """Every form one rewrite away: each rule at each node, clips in branches, and (with ``localise``)
    clamps and algebra at the culprits."""
    form = derivation.form
    result = [derivation.then(Step(rule.name, *pair)) for rule in RULES for pair in rewrites(form, rule)]
    result.append(_normalised(derivation))
    clipped = clip_branches(form, x)
    if clipped != form:
        result.append(derivation.then(Step(CLIP, form, clipped)))
    # With parameters, no clamp: a bound found at the defaults may be wrong at other values, silently.
    if not values:
        result += [derivation.then(Step(SATURATE, part, clamped))
                   for part, clamped in clamped_parts(form, x, accuracy.failing)]
    if not localise:
        return result
    bad = (accuracy.failing + accuracy.inaccurate_at)[:12]
    if bad:
        for culprit in culprits(form.xreplace(values), x, bad)[:3]:
            node = _unvalued(form, culprit.node, values)
            if node is None or count_ops(node) > _ALGEBRA_SIZE:
                continue
            for name, algebra in ALGEBRA.items():
                for target in _with_parent(form, node):
                    try:
                        rewritten = algebra(target)
                    except (AttributeError, PolynomialError):  # SymPy's algebra has no method for it
                        continue
                    if rewritten != target:
                        rewritten_derivation = derivation.then(Step(name, target, rewritten))
                        result.append(rewritten_derivation)
                        if count_ops(rewritten) <= _NORMALISED_SIZE:
                            result.append(_normalised(rewritten_derivation))
    return result


def _normalised(derivation: Derivation) -> Derivation:
    """``derivation`` continued by every rule applied wherever it matches (``rules.everywhere``)."""
    for step in everywhere(derivation.form):
        derivation = derivation.then(Step(*step))
    return derivation


def _unvalued(form: Expr, node: Expr, values) -> Expr | None:
    """The subexpression of ``form`` that becomes ``node`` once parameters take their values."""
    return next((e for e in preorder_traversal(form) if e.xreplace(values) == node), None)


def _with_parent(form: Expr, node: Expr) -> list[Expr]:
    """``node`` and the operation that uses it in ``form`` (cancellation often needs both)."""
    parents = [e for e in preorder_traversal(form) if node in e.args and isinstance(e, Expr) and not isinstance(e, Piecewise)]
    return [node, *parents[:1]]


def _shortfall(what: str, accuracy: Score) -> str:
    """Where and how badly the best form misses the targets, for the error message."""
    if accuracy.failures:
        where = _region(accuracy.failing)
        return (f"no form of {what} found that is finite and warning-free everywhere its value is: the best "
                f"overflows or is undefined at {accuracy.failures} sampled points, x in {where}")
    where = _region(accuracy.inaccurate_at)
    return (f"no form of {what} found within {ACCURATE_ULPS:g} ulp where its condition number is at most "
            f"{WELL_CONDITIONED:g}: the best is {accuracy.max_ulp:.3g} ulp off at x = {accuracy.worst:.6g}, "
            f"and beyond {ACCURATE_ULPS:g} ulp at {accuracy.inaccurate} sampled points, x in {where}")


def _region(points: tuple[float, ...]) -> str:
    return f"[{min(points):.6g}, {max(points):.6g}]"
