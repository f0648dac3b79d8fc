"""The rewrite database of the accuracy search: identities, each proven by SymPy, and where they apply.

A ``Rule`` is an identity ``before = after`` in pattern variables (SymPy
``Wild``s standing for any real expression).  The search applies a rule
wherever ``before`` matches: a whole node, or some of the terms of a sum or
the factors of a product (``a*exp(u)/(1 + exp(u))`` holds ``exp(u)/(1 +
exp(u))``).  Each identity is an obligation of the proof ledger, proven with
its pattern variables as real symbols, so a form the search builds from them
is equal to the one it started from.

The rules are the ones Herbie's database holds for these functions:
logistic and softplus forms that cannot overflow, ``expm1`` and ``log1p``
that keep the digits lost to cancellation near 0, ``1 - tanh²`` and
``log(cosh)`` without cancellation or overflow, ``hypot`` for ``sqrt(a² + b²)``
and the reciprocal of a power taken before the power.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from sympy import Abs, Add, Expr, Function, Mul, Pow, Symbol, Wild, cosh, exp, log, sign, sinh, sqrt, tanh
from sympy.codegen.cfunctions import expm1, log1p
from sympy.codegen.numpy_nodes import logaddexp

from derive.core.functions import Hypot, Logistic, Reciprocal

__all__ = ["Rule", "RULES", "rewrites", "everywhere", "pattern_symbols"]

_A, _B = Wild("a"), Wild("b")
_C = Wild("c", properties=[lambda c: c.is_Number and c.is_positive])
_N = Wild("n", properties=[lambda n: n.is_Integer and n < -1])
#: A leg of a hypotenuse that is not a number (``sqrt(2)`` is not ``hypot(1, 1)``).
_LEG = Wild("a", properties=[lambda a: not a.is_Number])
#: A term ``a`` of ``1 + a`` that is not itself ``b - 1`` (``log(cosh(x))`` is not ``log1p(cosh(x) - 1)``).
_TERM = Wild("a", properties=[lambda a: not (a.is_Add and -1 in a.args)])


@dataclass(frozen=True)
class Rule:
    """``before = after``, with the ``Wild`` pattern variables of ``before`` standing for real expressions."""

    name: str
    before: Expr
    after: Expr
    #: When set, the rule applies only at nodes of this class (``a**n`` would match any node).
    only_at: type | None = None

    @property
    def heads(self) -> set[type]:
        """The functions ``before`` calls: a node without them all cannot match, and is skipped unmatched."""
        return {type(f) for f in self.before.atoms(Function)}

    def applied(self, node: Expr) -> Iterator[Expr]:
        """``node`` rewritten by this rule: at the node itself, or at a part of its terms or factors."""
        if self.only_at is not None and not isinstance(node, self.only_at):
            return
        if not self.heads <= {type(f) for f in node.atoms(Function)}:
            return
        match = node.match(self.before)
        if match is not None and all(w in match for w in self.before.atoms(Wild)):
            yield self.after.xreplace(match)
        kind = type(self.before)
        if kind in (Add, Mul) and isinstance(node, kind) and len(node.args) > len(self.before.args):
            for part in combinations(node.args, len(self.before.args)):
                match = kind(*part).match(self.before)
                if match is not None and all(w in match for w in self.before.atoms(Wild)):
                    rest = list(node.args)
                    for term in part:
                        rest.remove(term)
                    yield kind(self.after.xreplace(match), *rest)


def _logcosh_tails(a: Expr) -> Expr:
    return Abs(a) + log1p(exp(-2 * Abs(a))) - log(2)


#: The database, in the order candidates are tried.
RULES: tuple[Rule, ...] = (
    Rule("softplus as logaddexp", log(1 + exp(_A)), logaddexp(0, _A)),
    Rule("logistic product", exp(_A) / (1 + exp(_A)) ** 2, Logistic(_A) * Logistic(-_A)),
    Rule("logistic of a ratio", exp(_A) / (1 + exp(_A)), Logistic(_A)),
    Rule("logistic", 1 / (1 + exp(_A)), Logistic(-_A)),
    Rule("one minus a logistic", 1 - Logistic(_A), Logistic(-_A)),
    Rule("log of a logistic", log(Logistic(_A)), -logaddexp(0, -_A)),
    Rule("log of one minus a logistic", log(1 - Logistic(_A)), -logaddexp(0, _A)),
    Rule("expm1", exp(_A) - 1, expm1(_A)),
    Rule("expm1, negated", 1 - exp(_A), -expm1(_A)),
    Rule("expm1, scaled", _C * exp(_A) - _C, _C * expm1(_A)),
    Rule("log1p", log(1 + _TERM), log1p(_TERM)),
    Rule("one minus tanh squared", 1 - tanh(_A) ** 2, 4 * Logistic(2 * _A) * Logistic(-2 * _A)),
    Rule("tanh as a ratio", sinh(_A) / cosh(_A), tanh(_A)),
    Rule("log cosh, tails", log(cosh(_A)), _logcosh_tails(_A)),
    Rule("log cosh, near 0", log(cosh(_A)), log1p(2 * sinh(_A / 2) ** 2)),
    Rule("hypot", sqrt(_LEG**2 + _C), Hypot(_LEG, sqrt(_C))),
    Rule("hypot minus a leg", _C * Hypot(_A, _B) - _C * _B, _C * _A**2 / (Hypot(_A, _B) + _B)),
    Rule("reciprocal of a hypot", 1 / sqrt(_LEG**2 + _C), Reciprocal(Hypot(_LEG, sqrt(_C)))),
    Rule("absolute value", _A * sign(_A), Abs(_A)),
    Rule("reciprocal first", _A**_N, Reciprocal(_A) ** -_N, only_at=Pow),
)


def pattern_symbols(rule: Rule) -> dict[Wild, Symbol]:
    """A real symbol for each pattern variable of ``rule`` (positive for a positive-number pattern)."""
    kinds = {_C: {"positive": True}, _N: {"integer": True, "negative": True}}
    return {w: Symbol(w.name, **kinds.get(w, {"real": True})) for w in sorted(rule.before.atoms(Wild), key=str)}


def rewrites(expr: Expr, rule: Rule) -> Iterator[tuple[Expr, Expr]]:
    """``(node, replacement)`` for each node of ``expr`` where ``rule`` applies, each distinct result once."""
    seen = set()
    for node in _nodes(expr):
        for replacement in _applied(rule, node):
            rewritten = expr.xreplace({node: replacement})
            if rewritten != expr and rewritten not in seen:
                seen.add(rewritten)
                yield node, replacement


@cache
def _applied(rule: Rule, node: Expr) -> tuple[Expr, ...]:
    """``rule.applied(node)``, remembered: candidate forms share most of their nodes."""
    return tuple(rule.applied(node))


def everywhere(expr: Expr, rules: tuple[Rule, ...] = RULES, rounds: int = 6) -> list[tuple[str, Expr, Expr]]:
    """``(rule name, node, replacement)`` steps applying every rule wherever it matches, in order, until none does.

    One candidate among many: rewrites that each fix one overflow only
    pay off together (``mish'`` needs three), which a search one step at a
    time ranks no better than the start.
    """
    steps = []
    for _ in range(rounds):
        changed = False
        for rule in rules:
            for node, replacement in rewrites(expr, rule):
                if expr.has(node):
                    steps.append((rule.name, node, replacement))
                    expr = expr.xreplace({node: replacement})
                    changed = True
                break
        if not changed:
            break
    return steps


def _nodes(expr: Expr) -> list[Expr]:
    """The distinct non-atomic subexpressions of ``expr``, outermost first."""
    found, seen = [], set()
    stack = [expr]
    while stack:
        node = stack.pop(0)
        if node.is_Atom or node in seen:
            continue
        seen.add(node)
        found.append(node)
        stack.extend(node.args)
    return found
