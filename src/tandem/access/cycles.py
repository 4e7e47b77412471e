"""Who may see and do what in assessment cycles: launching, rating, nominations, dashboards and reports."""

from __future__ import annotations
