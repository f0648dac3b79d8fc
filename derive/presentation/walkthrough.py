"""The backpropagation walk-through of one parameter: what it holds (built by ``walkthrough_build.explain``).

For a weight or bias entry such as ``w2[0,0]`` (row 0, column 0 of ``w2``: the
weight from input 0 into neuron 0 of layer 2) the walk-through lists

* the forward values: ``inp`` and activation output of every neuron;
* the loss, term by term where it is a sum over samples and outputs;
* the chain rule from the loss to the parameter, one ``Step`` per gradient:
  ``∂E/∂inpK = ∂E/∂hK · ∂hK/∂inpK``, and for a hidden output the sum over the
  paths through the next layer, ``∂E/∂hK = Σ ∂E/∂inpK+1 · ∂inpK+1/∂hK``;
  the last step is the parameter's own, Mazur-style
  ``∂E/∂w = ∂E/∂out · ∂out/∂inp · ∂inp/∂w``;
* the parameter after one step of gradient descent.

Every factor's form is read off the Program: the loss gradient's definition,
the activation step ``dinp = f' · dh`` differentiated by ``dh``, and the dense
assignment written out entry by entry and differentiated.  Every number is the
trace's evaluation of that form (``derive.program.trace``), so nothing is special to
one network.  ``E`` is the cost.
"""

from dataclasses import dataclass

from sympy import Add, Basic, Float, Indexed, IndexedBase, Mul, Symbol

__all__ = ["E", "ExplainError", "Value", "Factor", "Path", "Step", "Update", "Walkthrough", "entry_name"]

#: The cost, as the walk-through writes it.
E = Symbol("E")


class ExplainError(ValueError):
    """A walk-through that cannot be built, e.g. an unknown parameter; the message lists what exists."""


@dataclass(frozen=True)
class Value:
    """``name = form = value``: a forward entry, a loss term or the loss."""

    name: Basic
    form: Basic
    value: Float


@dataclass(frozen=True)
class Factor:
    """One partial derivative ``∂top/∂bottom`` in a chain and its value.

    ``form`` is the derivative written in entries (``out[0,0] - y[0,0]``), or
    None for a gradient ``∂E/∂bottom`` worked out in an earlier step.
    """

    top: Basic
    bottom: Indexed
    form: Basic | None
    value: Float


@dataclass(frozen=True)
class Path:
    """One product of factors, running through the entry ``via``."""

    via: Indexed
    factors: tuple[Factor, ...]

    @property
    def value(self) -> Float:
        return Mul(*(factor.value for factor in self.factors))


@dataclass(frozen=True)
class Step:
    """``∂E/∂entry`` as the sum of its paths (a single product where there is one path)."""

    entry: Indexed
    paths: tuple[Path, ...]

    @property
    def value(self) -> Float:
        return Add(*(path.value for path in self.paths))


@dataclass(frozen=True)
class Update:
    """The parameter after one gradient-descent step: ``form`` is the Program's update entry."""

    parameter: Indexed
    form: Basic
    learning_rate: Float
    before: Float
    gradient: Float
    value: Float


@dataclass(frozen=True, repr=False)
class Walkthrough:
    """Forward values, loss, chain-rule steps (the parameter's last) and update of one parameter."""

    network: str
    parameter: Indexed
    meaning: str
    forward: tuple[Value, ...]
    loss_name: str
    loss_terms: tuple[Value, ...]
    loss: Value
    steps: tuple[Step, ...]
    update: Update

    @property
    def gradient(self) -> Float:
        """``∂E/∂parameter``: the value of the last step."""
        return self.steps[-1].value

    def step(self, entry: str) -> Step:
        """The step that works out ``∂E/∂entry``, e.g. ``step("h1[0,0]")``."""
        for step in self.steps:
            if entry_name(step.entry) == entry.replace(" ", ""):
                return step
        raise KeyError(f"no step for {entry!r}; steps: {', '.join(entry_name(s.entry) for s in self.steps)}")

    def __str__(self) -> str:
        """The terminal table, as ``render(walkthrough, "text")`` and ``explain`` print it."""
        from derive.presentation.walkthrough_text import render

        return render(self, "text")

    def __repr__(self) -> str:
        from derive.presentation.walkthrough_text import number

        return f"<Walkthrough {self.network}: dE/d{entry_name(self.parameter)} = {number(self.gradient)}>"

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """IPython's display: the terminal table."""
        printer.text(repr(self) if cycle else str(self))

    def _repr_markdown_(self) -> str:
        """The walk-through with headings, as ``--format md`` prints it (Jupyter shows it so)."""
        from derive.presentation.walkthrough_text import render

        return render(self, "md", level=3)


def entry_name(entry: Basic) -> str:
    """``w2[0, 0]`` -> ``"w2[0,0]"``; an array -> its label."""
    if isinstance(entry, Indexed):
        return f"{entry.base.label}[{','.join(str(i) for i in entry.indices)}]"
    return str(entry.label) if isinstance(entry, IndexedBase) else str(entry)
