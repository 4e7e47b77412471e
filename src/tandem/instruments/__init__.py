"""Instruments shipped with Tandem, as versioned data files (see tandem.measure.instrument)."""
