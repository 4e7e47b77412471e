"""Growth: development plans, development actions, weekly habits, quick feedback, progress."""
