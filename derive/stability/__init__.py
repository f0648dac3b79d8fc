"""The accuracy search: forms of a function that evaluate accurately in float64, found and proven.

``search.most_accurate`` samples a function exactly (``sample``), ranks
candidate forms by their float64 error (``score``), finds the operations
that lose accuracy (``localise``) and rewrites with proven identities
(``rules``), clamps parts that saturate (``clamping``, ``branch_clips``) and
joins forms at a split point (``regimes``).
"""
