"""The organisation view: leadership and management by department and level, the distribution
of placements and the leadership bench, for the people team.

Rooms: ``selectors`` (what one reader may see of one released cycle, decided by
``tandem.measure.organisation``), ``bench`` (who leads without reports), ``charts`` (the SVG
heatmap for the PDF), ``export`` (CSV), ``pdf``, ``views``.
"""
