"""Every hand form the catalogue retired is matched or beaten by the form it prints now.

The catalogue stopped stating these forms (``tests/hand_forms.RETIRED``)
because the accuracy search found forms at least as accurate; a change to
the search that loses one of them fails here.  Both forms are scored as the
search ranks candidates (``derive.stability.score``: failures, then mean
bits of error, then points beyond 4 ulp) on the search's points
(``tools.hand_comparison``).
"""

import pytest

from derive.catalog.registry import CATALOG
from derive.stability.score import ACCURATE_ULPS
from hand_forms import RETIRED
from tools.hand_comparison import RETIRED_LABEL, retired_comparisons

COMPARISONS = {c.label: c for c in retired_comparisons(CATALOG)}


def test_every_retired_hand_form_is_compared():
    expected = [f"{hand.name}′" if hand.derivative else hand.name for hand in RETIRED]
    assert list(COMPARISONS) == expected
    assert {c.status for c in COMPARISONS.values()} == {RETIRED_LABEL}


@pytest.mark.parametrize("label", COMPARISONS, ids=lambda label: label.replace("′", "'"))
def test_the_catalogue_matches_or_beats_a_retired_hand_form(label):
    c = COMPARISONS[label]
    assert c.search.rank <= c.hand.rank, f"hand {c.hand_form}: {c.hand}; now {c.search_form}: {c.search}"


@pytest.mark.parametrize("label", COMPARISONS, ids=lambda label: label.replace("′", "'"))
def test_the_catalogues_form_of_a_retired_item_meets_the_accuracy_target(label):
    current = COMPARISONS[label].search
    assert current.failures == 0 and current.inaccurate == 0 and current.max_ulp <= ACCURATE_ULPS
