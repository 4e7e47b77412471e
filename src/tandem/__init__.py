"""Tandem: tell leadership from management, and grow both."""
