"""The catalogue: every named activation, vector function and loss, derived on demand.

Built-in items are registered as recipes and derived the first time they are
asked for, so looking up one item does not derive them all.  Users add their
own with ``register_activation`` (see the README), which derives at once so
a bad definition fails where it is written.
"""

from collections.abc import Callable, Mapping
from typing import Literal

from sympy import Expr, Symbol

from derive.catalog.activations import Activation, elementwise
from derive.catalog.cache import cached
from derive.core.errors import DefinitionError
from derive.core.suggestions import unknown_name
from derive.catalog.extensions import run_extensions
from derive.catalog.initializers import Initializer
from derive.catalog.losses import Loss
from derive.catalog.penalties import Penalty
from derive.catalog.vector_functions import VectorFunction
from derive.spec.model import Vocabulary

__all__ = ["Catalog", "CATALOG", "Kind", "register_activation"]

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
        self._recipes[name] = (kind, (lambda: cached(name, recipe)) if cache and not self._read else recipe)

    def get(self, name: str) -> Item:
        """The derived item called ``name``; KeyError suggests the closest names and lists them all."""
        self._extend()
        if name not in self._recipes:
            raise KeyError(unknown_name("catalogue item", name, self.names()) + ELSEWHERE)
        if name not in self._derived:
            self._derived[name] = self._recipes[name][1]()
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
    doc: str = "",
    catalog: Catalog = CATALOG,
) -> Activation:
    """Add an elementwise activation ``y = definition(x)`` to the catalogue.

    ``definition`` uses ``derive.core.symbols.x`` (or any ``Symbol('x')``) and the
    parameters in ``params`` (``{Symbol: default}``).  The derivative and its
    output form are derived now, so a bad definition fails here with a
    ``DefinitionError``; ``make generate`` then emits the function.  Call it
    from a file in ``extensions/`` (see the README).
    """
    activation = elementwise(name, definition, params=params, computed_as=computed_as, doc=doc)
    catalog.add("activation", name, lambda: activation)
    return activation
