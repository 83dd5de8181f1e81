"""The tables every engine reads: their schema, and the backends that hold them.

- :mod:`cypmh.tables.schema`: :data:`~cypmh.tables.schema.TABLES`, the columns and
  kinds of each table, and the tables of an :class:`~cypmh.model.Area`;
- :mod:`cypmh.tables.backends`: the dataframe backends, and moving tables between them;
- :mod:`cypmh.tables.exprs`: expressions over the tables' dates, codes and ages (narwhals,
  an optional extra), which the dataframe engine and the pathways' frame twins read.

Below the readers (:mod:`cypmh.io` writes these tables) and the dataframe engine
(:mod:`cypmh.metrics.frames` reads them); above :mod:`cypmh.model`. The backends'
packages are optional extras, imported where they are used.
"""
