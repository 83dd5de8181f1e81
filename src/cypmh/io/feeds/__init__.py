"""Children's social care from the feeds councils already have, read as the extract's files.

A council need not write ``ssda903/social_work.csv`` or ``ssda903/header.csv``
by hand. Three standard feeds may sit in the extract folder instead, or beside
those files:

- **The Standard Safeguarding Dataset** (data-to-insight/ssd-data-model): an
  ``ssd/`` folder of CSV exports named after its tables, with the SSD's own
  column names (:data:`SSD_TABLES`; case does not matter, other columns are
  ignored). ``ssd_cin_episodes`` gives a child-in-need period per referral that
  did not end in no further action (``cine_referral_nfa`` Y, 1 or true);
  ``ssd_cp_plans`` a child-protection-plan period per plan; ``ssd_cla_episodes``
  the looked-after episodes; ``ssd_person`` each of those children's birth date,
  sex and ethnicity; ``ssd_sdq_scores`` dated SDQs, as rows of ``oc2.csv`` with
  their ``SDQ_DATE``.
- **The Children in Need census**: a ``cin/`` folder of the XML files councils
  submit to DfE (:mod:`cypmh.io.cin_census`), giving the same periods and
  children.
- **The DfE children's social care API files**: ``dfe_api.json`` or a
  ``dfe_api/`` folder of the JSON payloads a council sent, full then partial,
  applied in name order with their purge flags (:mod:`cypmh.io.feeds.dfe_api`),
  giving the periods, children, dated SDQ scores and placements.

Each feed row becomes a row of the contract's file (:func:`feed_text`), so one
set of rules reads it: a date that is not a date, a child who is not known,
an end before the start are reported as for any row, but named where the feed
has them, its file, line and own field (``ssd/ssd_cin_episodes.csv, line 7,
cine_referral_date``; :func:`as_in_the_feeds`). The SSD's person id, like the
census's ``LAchildID``, is the SSDA903 ``CHILD``: ``linkage.csv`` links it to
the MHSDS ``Person_ID``.

Where feeds overlap (:func:`read_feeds`):

- **Periods** (``social_work.csv``) are the union of the folder's own file, the
  SSD, the API and the census: a child's status on a day is the highest period
  covering it, so a period given twice counts once. A period two feeds give
  (the same child, kind and start) is read from the first of the SSD (the
  council's live system, later than any census return), the API (built from
  the SSD) and the census; several census years give their period's end from
  the latest (:func:`cypmh.io.cin_census.combine`).
- **Looked-after episodes** come from the SSDA903 ``episodes.csv`` where the
  folder has one, else from ``ssd_cla_episodes``, else from the API's
  placements: the SSDA903 return is the statutory one, checked by DfE's rules,
  and the others are built from the same records without the legal status.
- **SDQs** (``oc2.csv``): the folder's own rows, then the SSD's dated ones, then
  the API's, an SDQ the SSD gives too (the same child and date) read from the
  SSD.
- **Children** (``header.csv``): the folder's own rows, then, for each child of
  a social-care row (the feeds' or the folder's own files') not in them,
  ``ssd_person``'s row, else the API's ``child_details``, else the census's.

A date written with a midnight time, as a database export writes one
(``2024-05-01 00:00:00.000``), is read as its day, and a cell ``NULL`` as
empty. Nothing is lost: a feed row that cannot be split into its header's
cells, and a census element that cannot be read, is reported in the warnings
with its file and line; a referral that ended in no further action is counted
there.
"""

from __future__ import annotations

from cypmh.io.feeds.compose import as_in_the_feeds, feed_text
from cypmh.io.feeds.nhs import nhs_number
from cypmh.io.feeds.read import has_feeds, read_feeds
from cypmh.io.feeds.rows import (
    CIN_FOLDER,
    DERIVED,
    SSD_FOLDER,
    SSD_TABLES,
    Feeds,
    Origin,
    SsdTable,
)

__all__ = [
    "CIN_FOLDER",
    "DERIVED",
    "SSD_FOLDER",
    "SSD_TABLES",
    "Feeds",
    "Origin",
    "SsdTable",
    "as_in_the_feeds",
    "feed_text",
    "has_feeds",
    "nhs_number",
    "read_feeds",
]
