"""Who may see and do what in development plans, habits, quick feedback and progress."""

from __future__ import annotations
