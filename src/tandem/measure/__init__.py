"""Tandem's measurement core: pure functions over numpy arrays, no Django."""

from tandem.measure.agreement import ad_m, bliese_icc, icc, rwg, rwg_j
from tandem.measure.reliability import cronbach_alpha, omega_total

__all__ = ["ad_m", "bliese_icc", "cronbach_alpha", "icc", "omega_total", "rwg", "rwg_j"]
