"""The catalogue: every named activation, vector function and loss, derived on demand.

Built-in items are registered as recipes and derived the first time they are
asked for, so looking up one item does not derive them all.  A loss's recipe
derives it under any reduction (``Catalog.loss``).  Users add their own
items with ``register_activation`` and ``register_loss`` (see the README),
which derive at once so a bad definition fails where it is written.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from typing import Literal

from sympy import Expr, Symbol

from derive.catalog.activations import Activation, elementwise
from derive.catalog.cache import cached
from derive.catalog.recipe_digest import recipe_digest
from derive.core.errors import DefinitionError
from derive.catalog.entry_losses import entry_loss, reduction_named
from derive.core.suggestions import unknown_name
from derive.catalog.extensions import run_extensions
from derive.catalog.initializers import Initializer
from derive.catalog.losses import REDUCTION_MEANING, Loss
from derive.catalog.penalties import Penalty
from derive.catalog.vector_functions import VectorFunction
from derive.spec.model import Reduction, Vocabulary

__all__ = ["Catalog", "CATALOG", "Kind", "register_activation", "register_loss"]

Kind = Literal["activation", "vector", "loss", "penalty", "initializer"]
#: Ends a catalogue KeyError: the other names ``symprop list`` prints are fetched elsewhere.
ELSEWHERE = (
    ". The dense layer (dense), batch normalisation and dropout (training_layers) and the networks are "
    "derivations, not catalogue items: symprop.derivation(name) fetches every name `symprop list` prints"
)
Item = Activation | VectorFunction | Loss | Penalty | Initializer


class Catalog:
    """Named items by kind; each name is unique across all kinds."""

    def __init__(self, load_extensions: Callable[[], None] | None = None) -> None:
        self._recipes: dict[str, tuple[Kind, Callable[[], Item]]] = {}
        self._derived: dict[str, Item] = {}
        self._reducers: dict[str, Callable[[Reduction], Loss]] = {}
        self._reduced: dict[tuple[str, Reduction], Loss] = {}
        self._digests: dict[str, str] = {}
        self._readers: list[dict[str, str | None]] = []
        self._load_extensions = load_extensions
        self._read = False

    def _extend(self) -> None:
        """Run the user's extension files once, before the catalogue is first read."""
        self._read = True
        if self._load_extensions is not None:
            load, self._load_extensions = self._load_extensions, None
            load()

    def add(self, kind: Kind, name: str, recipe: Callable[[], Item], *, cache: bool = False) -> None:
        """Register ``recipe`` under ``name``; a name may be used once.

        With ``cache``, the derived item is kept on disk between runs (see
        ``derive.catalog.cache``); only recipes defined in ``derive/`` may use it.
        The cache key sees ``derive/`` alone, so ``cache`` is ignored once
        the catalogue has been read: an extension file's items, and any added
        later, are derived afresh by every run and an edit to them shows.
        """
        if name in self._recipes:
            existing = self._recipes[name][0]
            raise DefinitionError(
                f"{kind} {name!r}", f"the name is already taken by the {existing} {name!r}",
                "choose a name not in the catalogue",
            )
        self._recipes[name] = (kind, self._kept(name, recipe) if cache and not self._read else recipe)

    def _kept(self, name: str, recipe: Callable[[], Item]) -> Callable[[], Item]:
        """``recipe`` as kept in the disk cache under its own digest and the items it read, derived on a miss."""
        def derive() -> Item:
            (_, item), digest = cached(name, partial(self._recorded, recipe), recipe_digest(recipe), self._unchanged)
            if digest is not None:
                self._digests[name] = digest
            return item

        return derive

    def _recorded(self, recipe: Callable[[], Item]) -> tuple[dict[str, str | None], Item]:
        """``recipe()`` and the items it read from the catalogue, each with its digest."""
        with self.recording() as reads:
            return reads, recipe()

    @contextmanager
    def recording(self) -> Iterator[dict[str, str | None]]:
        """Record in the dict it yields every item read inside the block, by name, with the digest of its value.

        The digest is that of the item's cache entry (``derive.catalog.cache``),
        None for an item not kept there; a reduced loss is named ``loss.reduction``.
        """
        reads: dict[str, str | None] = {}
        self._readers.append(reads)
        try:
            yield reads
        finally:
            self._readers.pop()

    def _note_read(self, name: str) -> None:
        """Record that the recipes being derived, and the blocks ``recording``, read ``name``."""
        for reads in self._readers:
            reads[name] = self._digests.get(name)

    def _unchanged(self, entry: object) -> bool:
        """Whether a stored ``(reads, item)`` read items that are still what they were."""
        return isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], dict) and self.unchanged(entry[0])

    def unchanged(self, reads: Mapping[str, str | None]) -> bool:
        """Whether every item in ``reads`` (as ``recording`` keeps them) is kept and still has the digest recorded.

        Each item is derived, or loaded from the cache, to know; an item not
        kept (an extension's), or no longer in the catalogue, is never taken for unchanged.
        """
        for read, digest in reads.items():
            name, _, reduction = read.partition(".")
            try:
                if reduction:
                    self.loss(name, Reduction(reduction))
                else:
                    self.get(name)
            except (KeyError, ValueError):
                return False
            if digest is None or self._digests.get(read) != digest:
                return False
        return True

    def add_loss(
        self, name: str, reduction: Reduction, recipe: Callable[[Reduction], Loss], *, cache: bool = False,
    ) -> None:
        """Register a loss whose ``recipe`` derives it under any reduction; ``reduction`` is its own.

        ``cache`` keeps each reduction's derivation on disk, as ``add`` does.
        """
        self.add("loss", name, partial(recipe, reduction), cache=cache)
        if cache and not self._read:
            self._reducers[name] = lambda other: self._kept(f"{name}.{other.value}", partial(recipe, other))()
        else:
            self._reducers[name] = recipe

    def loss(self, name: str, reduction: Reduction | None = None) -> Loss:
        """The loss ``name`` under ``reduction``; under its own reduction when None."""
        if self.kind(name) != "loss":
            raise KeyError(f"{name!r} is not a loss; losses: {', '.join(self.names('loss'))}")
        own = self.get(name)
        if reduction is None or reduction is own.reduction:
            return own
        if (name, reduction) not in self._reduced:
            derived = self._reducers[name](reduction)
            doc = f"{name}'s cost per entry, {derived.per_entry}, {REDUCTION_MEANING[reduction]}."
            self._reduced[name, reduction] = replace(derived, doc=doc)
        self._note_read(f"{name}.{reduction.value}")
        return self._reduced[name, reduction]

    def get(self, name: str) -> Item:
        """The derived item called ``name``; KeyError suggests the closest names and lists them all."""
        self._extend()
        if name not in self._recipes:
            raise KeyError(unknown_name("catalogue item", name, self.names()) + ELSEWHERE)
        if name not in self._derived:
            self._derived[name] = self._recipes[name][1]()
        self._note_read(name)
        return self._derived[name]

    def kind(self, name: str) -> Kind:
        self._extend()
        return self._recipes[name][0]

    def names(self, kind: Kind | None = None) -> list[str]:
        """Registered names of one kind (or all), in registration order."""
        self._extend()
        return [name for name, (k, _) in self._recipes.items() if kind in (None, k)]

    def vocabulary(self) -> Vocabulary:
        """What a spec may name: spec reading checks names and parameters against it (``derive.spec``)."""
        kinds: tuple[Kind, ...] = ("activation", "loss", "initializer", "penalty")
        return Vocabulary(
            names={kind: self.names(kind) for kind in kinds},
            parameters=lambda item: {p.name: p.positive for p in self.get(item).params},
        )

    def derived_names(self) -> list[str]:
        """The names derived so far, in the order they were first asked for."""
        return list(self._derived)

    def activations(self) -> list[Activation]:
        return [self.get(name) for name in self.names("activation")]

    def vector_functions(self) -> list[VectorFunction]:
        return [self.get(name) for name in self.names("vector")]

    def losses(self) -> list[Loss]:
        return [self.get(name) for name in self.names("loss")]

    def penalties(self) -> list[Penalty]:
        return [self.get(name) for name in self.names("penalty")]

    def initializers(self) -> list[Initializer]:
        return [self.get(name) for name in self.names("initializer")]


#: The catalogue every command reads: built-ins (added by ``derive.catalog.standard``), then
#: the user's extension files (``derive.catalog.extensions``), run when it is first read.
CATALOG = Catalog(load_extensions=run_extensions)


def register_activation(
    name: str,
    definition: Expr,
    *,
    params: Mapping[Symbol, float] | None = None,
    computed_as: Expr | None = None,
    derivative_computed_as: Expr | None = None,
    doc: str = "",
    catalog: Catalog = CATALOG,
) -> Activation:
    """Add an elementwise activation ``y = definition(x)`` to the catalogue.

    ``definition`` uses ``derive.core.symbols.x`` (or any ``Symbol('x')``) and the
    parameters in ``params`` (``{Symbol: default}``).  ``computed_as`` and
    ``derivative_computed_as`` are optional hand forms of f and f', proven
    equal and then weighed against the accuracy search's forms.  The
    derivative and its output form are derived now, so a bad definition
    fails here with a ``DefinitionError``; ``make generate`` then emits the
    function.  Call it from a file in ``extensions/`` (see the README).
    """
    activation = elementwise(name, definition, params=params, computed_as=computed_as,
                             derivative_computed_as=derivative_computed_as, doc=doc)
    catalog.add("activation", name, lambda: activation)
    return activation


def register_loss(
    name: str,
    per_entry_cost: Expr,
    reduction: Reduction | str = "mean",
    *,
    params: Mapping[Symbol, float] | None = None,
    doc: str = "",
    catalog: Catalog = CATALOG,
) -> Loss:
    """Add a regression loss whose cost at each entry is ``per_entry_cost``, reduced by ``reduction``.

    ``per_entry_cost`` uses ``derive.core.symbols.target`` and ``prediction``
    (or any ``Symbol`` of those names) and the parameters in ``params``
    (``{Symbol: default}``); ``reduction`` is ``"sum"``, ``"mean"`` or
    ``"mean_over_samples"``, which a spec's ``loss_reduction`` may change.
    The cost and its gradient are derived now, so a bad definition fails here
    with a ``DefinitionError``.  Call it from a file in ``extensions/`` (see the README).
    """
    own = reduction_named(f"loss {name!r}", reduction)
    derived = entry_loss(name, per_entry_cost, own, params=params, doc=doc)
    catalog.add_loss(name, own, lambda other: derived if other is own else entry_loss(
        name, per_entry_cost, other, params=params, doc=doc))
    return derived
