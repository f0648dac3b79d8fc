"""Hand-written forms against the accuracy search's, each scored as the search scores its candidates.

Two kinds of hand form are compared, for f or f' of a catalogue activation:

* a *retired* hand form (``tests/hand_forms.RETIRED``), which the catalogue
  no longer states, with the exact rewrites ``numeric`` gave it when it was
  stated: against the form the catalogue now prints, which the search found
  without it;
* a hand form the catalogue still states (``Found.how == "hand"``): against
  the form the search finds when the item is derived without it (the same
  ``elementwise``, no ``computed_as`` or ``derivative_computed_as``), or the
  error that derivation stops with.

Both forms are scored with ``derive.stability.score`` on one sample of the
function (``derive.stability.sample``: the search's points, and the
definition's kinks with their neighbours), so they are ranked as the search
ranks candidates: failures first, then mean bits of error, then points
beyond 4 ulp where the function is well conditioned.
"""

from dataclasses import dataclass

from sympy import Expr, Float

from derive.catalog.activations import Activation, elementwise
from derive.catalog.numeric_forms import numeric
from derive.catalog.registry import Catalog
from derive.core.errors import DefinitionError
from derive.core.symbols import x
from derive.stability.grid import kinks
from derive.stability.sample import Sample, sample
from derive.stability.score import Score, score
from tests.hand_forms import RETIRED

from .cases import code

__all__ = [
    "Comparison", "RETIRED_LABEL", "STATED_LABEL", "retired_comparisons", "stated_comparisons", "stating_items",
]

#: Whether the hand form is still stated in the catalogue.
RETIRED_LABEL, STATED_LABEL = "retired", "in the catalogue"


@dataclass(frozen=True)
class Comparison:
    """f or f' of one activation (``label``): its hand form and the search's form, as code, with their scores.

    ``search`` is None when the search alone found no form; ``search_form``
    then holds the error it stopped with.
    """

    label: str
    status: str
    hand_form: str
    hand: Score
    search_form: str
    search: Score | None

    @property
    def search_matches(self) -> bool:
        """True when the search's form ranks as well as the hand form or better."""
        return self.search is not None and self.search.rank <= self.hand.rank


def retired_comparisons(catalog: Catalog) -> list[Comparison]:
    """Each retired hand form against the form ``catalog`` prints now, in the order of ``RETIRED``."""
    found = []
    for hand in RETIRED:
        activation = catalog.get(hand.name)
        function = activation.derivative if hand.derivative else activation.definition
        found.append(_retired(activation, hand.derivative, hand.form, _sample(activation, function)))
    return found


def stating_items(catalog: Catalog) -> list[str]:
    """The activations of ``catalog`` that still state a hand form, in catalogue order."""
    return [a.name for a in catalog.activations() if any(found.how == "hand" for found in a.searches)]


def stated_comparisons(catalog: Catalog, name: str) -> list[Comparison]:
    """The hand forms activation ``name`` states (f first) against the search run without them."""
    activation = catalog.get(name)
    try:
        alone = elementwise(activation.name, activation.definition,
                            params={p.symbol: p.default for p in activation.params}, doc=activation.doc)
    except DefinitionError as error:
        alone = error
    found = []
    for k, search in enumerate(activation.searches):
        if search.how != "hand":
            continue
        function = activation.derivative if k else activation.definition
        measured = _sample(activation, function)
        if isinstance(alone, DefinitionError):
            search_form, search_score = f"none: {alone}", None
        else:
            form = alone.searches[k].form
            search_form, search_score = code(form), _scored(activation, form, measured)
        found.append(Comparison(
            _label(activation, bool(k)), STATED_LABEL, code(search.form), _scored(activation, search.form, measured),
            search_form, search_score,
        ))
    return found


def _values(activation: Activation) -> dict:
    return {p.symbol: Float(p.default) for p in activation.params}


def _sample(activation: Activation, function: Expr) -> Sample:
    values = _values(activation)
    return sample(function.xreplace(values), x, kinks((activation.definition,), values))


def _scored(activation: Activation, form: Expr, measured: Sample) -> Score:
    return score(form.xreplace(_values(activation)), x, measured)


def _label(activation: Activation, derivative: bool) -> str:
    return f"{activation.name}′" if derivative else activation.name


def _retired(activation: Activation, derivative: bool, hand: Expr, measured: Sample) -> Comparison:
    """A retired hand form, as the catalogue printed it, against the form the catalogue prints now."""
    hand, current = numeric(hand), activation.searches[derivative].form
    return Comparison(
        _label(activation, derivative), RETIRED_LABEL, code(hand), _scored(activation, hand, measured),
        code(current), _scored(activation, current, measured),
    )
