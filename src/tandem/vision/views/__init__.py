"""Vision pages, one module per part: ``cascade`` (with the map), ``pulse``, ``hazards`` and
``leaders``. ``urls.py`` names each view by its module."""
