"""The dataframe building blocks the families are written with (narwhals, an optional extra).

- :mod:`cypmh.metrics.blocks.bases`: the frame context, and the base frames and cohort
  helpers several families share (the counted contact, the CYP referrals);
- :mod:`cypmh.metrics.blocks.settle`: storing a frame that several queries read.

Below :mod:`cypmh.metrics.families` (each family's ``frames`` version reads them
through :class:`~cypmh._lazy.LazyModule`), and below the dataframe engine that runs
the families, :mod:`cypmh.metrics.frames`.
"""
