"""Careers pages, one module per part: ``framework``, ``evidence``, ``track_choice``,
``cases`` and ``calibration``. ``urls.py`` names each view by its module."""
