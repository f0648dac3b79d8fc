"""A walk-through as plain text (the terminal), Markdown with LaTeX (GitHub) or LaTeX.

All three lay out the same chains of equalities, ``lhs = rhs = rhs = …``, going
from partial derivatives to their forms to numbers to the result, Mazur-style:
``∂E/∂w2[0,0] = ∂E/∂out[0,0] · ∂out[0,0]/∂inp2[0,0] · ∂inp2[0,0]/∂w2[0,0]
= … = 0.74136507 × 0.186815602 × 0.593269992 = 0.082167041``.
Numbers are rounded to 9 decimals with trailing zeros dropped; a magnitude
below 1e-4 is written in scientific notation instead.
"""

from dataclasses import dataclass
from decimal import Decimal

from sympy import Add, Basic, Float, Indexed
from sympy.printing.str import StrPrinter

from derive.presentation.walkthrough import E, Path, Step, Walkthrough
from derive.presentation.latex import Block, latex
from derive.presentation.markdown import display_math, escape, heading

__all__ = ["FORMATS", "number", "render"]

#: The formats ``render`` accepts: terminal text, GitHub Markdown, LaTeX.
FORMATS = ("text", "md", "tex")

_DECIMALS = 9
_SMALL = Decimal("1e-4")
_WIDTH = 100


def number(value: Float) -> str:
    """``value`` to 9 decimals without trailing zeros, or to 9 significant digits if below 1e-4."""
    exact = Decimal(str(value))
    if exact != 0 and abs(exact) < _SMALL:
        return f"{exact:.{_DECIMALS - 1}e}"
    text = f"{exact:.{_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def render(walkthrough: Walkthrough, format: str = "text", *, level: int = 1) -> str:
    """The walk-through in ``format`` (one of ``FORMATS``); Markdown headings start at ``level``."""
    if format == "text":
        return _text(walkthrough)
    if format == "md":
        return _markdown(walkthrough, level)
    if format == "tex":
        return _tex(walkthrough)
    raise ValueError(f"unknown format {format!r}; formats: {', '.join(FORMATS)}")


@dataclass(frozen=True)
class _Chain:
    lhs: str
    rhs: tuple[str, ...]


@dataclass(frozen=True)
class _Section:
    title: str
    chains: tuple[_Chain, ...]


class _TextPrinter(StrPrinter):
    """SymPy's string printer with entries written ``out[0,0]``."""

    printmethod = "_symprop_text"  # not ``Indexed._sympystr``, which adds spaces

    def _print_IndexedBase(self, expr) -> str:
        return self._print(expr.label)

    def _print_Indexed(self, expr: Indexed) -> str:
        return f"{self._print(expr.base)}[{','.join(self._print(i) for i in expr.indices)}]"


class _TextNotation:
    """How the terminal writes a partial derivative, an expression and a product."""

    dot, times = " · ", " × "

    def partial(self, top: Basic, bottom: Basic) -> str:
        return f"∂{self.expr(top)}/∂{self.expr(bottom)}"

    def expr(self, expr: Basic) -> str:
        return _TextPrinter().doprint(expr)

    def grouped(self, expr: Basic) -> str:
        return f"({self.expr(expr)})" if isinstance(expr, Add) else self.expr(expr)

    def updated(self, entry: Indexed) -> str:
        return f"{self.expr(entry)}⁺"


class _LatexNotation:
    """How LaTeX writes them, with symprop's names (``\\mathrm{inp}_{1}``)."""

    dot, times = " \\cdot ", " \\times "

    def partial(self, top: Basic, bottom: Basic) -> str:
        return f"\\frac{{\\partial {latex(top)}}}{{\\partial {latex(bottom)}}}"

    def expr(self, expr: Basic) -> str:
        return latex(expr)

    def grouped(self, expr: Basic) -> str:
        return f"\\left({latex(expr)}\\right)" if isinstance(expr, Add) else latex(expr)

    def updated(self, entry: Indexed) -> str:
        return f"{latex(entry)}^{{+}}"


_Notation = _TextNotation | _LatexNotation


def _title(walkthrough: Walkthrough) -> str:
    return f"Backpropagation walk-through: {walkthrough.network}, ∂E/∂{_TextNotation().expr(walkthrough.parameter)}"


def _note(walkthrough: Walkthrough) -> str:
    entry = _TextNotation().expr(walkthrough.parameter)
    return (
        f"{entry} is {walkthrough.meaning}. E is the cost ({walkthrough.loss_name}); "
        "each step multiplies the gradient found before it by one local derivative."
    )


def _sections(walkthrough: Walkthrough, notation: _Notation) -> list[_Section]:
    """The walk-through's chains, section by section, written in ``notation``."""
    forward = tuple(
        _Chain(notation.expr(v.name), (notation.expr(v.form), number(v.value))) for v in walkthrough.forward
    )
    loss = tuple(
        _Chain(notation.expr(v.name), (notation.expr(v.form), number(v.value))) for v in walkthrough.loss_terms
    )
    total = (notation.expr(walkthrough.loss.form),)
    if walkthrough.loss_terms:
        total += (" + ".join(notation.expr(v.name) for v in walkthrough.loss_terms),
                  _signed_sum([v.value for v in walkthrough.loss_terms]))
    loss += (_Chain(notation.expr(E), total + (number(walkthrough.loss.value),)),)
    steps = tuple(chain for step in walkthrough.steps for chain in _step_chains(step, notation))
    update = walkthrough.update
    rate = number(update.learning_rate)
    step = _Chain(notation.updated(update.parameter), (
        notation.expr(update.form),
        f"{number(update.before)} - {rate}{notation.times}{_factor_number(update.gradient, first=False)}",
        number(update.value),
    ))
    return [
        _Section("Forward pass", forward),
        _Section(f"Loss ({walkthrough.loss_name})", loss),
        _Section("Chain rule, from the loss back to the parameter", steps),
        _Section(f"Update (one step, learning rate {rate})", (step,)),
    ]


def _step_chains(step: Step, notation: _Notation) -> list[_Chain]:
    """One chain for a single product; for a sum, a chain per path and one adding them up."""
    target = notation.partial(E, step.entry)
    if len(step.paths) == 1:
        (path,) = step.paths
        return [_Chain(target, _path_sides(path, notation))]
    chains = [_Chain(_symbols(path, notation), _path_sides(path, notation)[1:]) for path in step.paths]
    total = " + ".join(_symbols(path, notation) for path in step.paths)
    chains.append(_Chain(target, (total, _signed_sum([p.value for p in step.paths]), number(step.value))))
    return chains


def _symbols(path: Path, notation: _Notation) -> str:
    return notation.dot.join(notation.partial(f.top, f.bottom) for f in path.factors)


def _path_sides(path: Path, notation: _Notation) -> tuple[str, ...]:
    """Symbols, forms (when they say more), numbers and the product of one path."""
    symbols = _symbols(path, notation)
    forms = notation.dot.join(
        notation.partial(f.top, f.bottom) if f.form is None else notation.grouped(f.form) for f in path.factors
    )
    numbers = notation.times.join(
        _factor_number(f.value, first=index == 0) for index, f in enumerate(path.factors)
    )
    return (symbols,) + ((forms,) if forms != symbols else ()) + (numbers, number(path.value))


def _factor_number(value: Float, *, first: bool) -> str:
    text = number(value)
    return f"({text})" if text.startswith("-") and not first else text


def _signed_sum(values: list[Float]) -> str:
    """``0.055399425 - 0.019049118``: terms joined by their signs."""
    text = number(values[0])
    for value in values[1:]:
        term = number(value)
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text


def _text(walkthrough: Walkthrough) -> str:
    lines = [_title(walkthrough), _note(walkthrough)]
    for section in _sections(walkthrough, _TextNotation()):
        lines += ["", section.title]
        for chain in section.chains:
            one_line = " = ".join((chain.lhs,) + chain.rhs)
            if len(one_line) + 2 <= _WIDTH:
                lines.append(f"  {one_line}")
                continue
            lines.append(f"  {chain.lhs} = {chain.rhs[0]}")
            lines += [f"  {' ' * len(chain.lhs)} = {side}" for side in chain.rhs[1:]]
    return "\n".join(lines) + "\n"


def _rows(chain: _Chain) -> list[str]:
    """Aligned rows: one for a short chain (a form and its value), else one per right-hand side."""
    if len(chain.rhs) <= 2:
        return [f"{chain.lhs} &= {' = '.join(chain.rhs)}"]
    return [f"{chain.lhs} &= {chain.rhs[0]}"] + [f"&= {side}" for side in chain.rhs[1:]]


def _blocks(walkthrough: Walkthrough) -> list[Block]:
    return [
        Block(section.title, tuple(row for chain in section.chains for row in _rows(chain)))
        for section in _sections(walkthrough, _LatexNotation())
    ]


def _markdown(walkthrough: Walkthrough, level: int) -> str:
    parts = [heading(level, escape(_title(walkthrough))), escape(_note(walkthrough))]
    for block in _blocks(walkthrough):
        parts += [heading(level + 1, escape(block.title)), display_math(block.rows)]
    return "\n\n".join(parts) + "\n"


def _tex(walkthrough: Walkthrough) -> str:
    header = f"% {_title(walkthrough)}\n% {_note(walkthrough)}"
    return "\n\n".join([header] + [block.tex() for block in _blocks(walkthrough)]) + "\n"
