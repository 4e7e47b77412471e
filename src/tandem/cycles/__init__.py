"""Assessment cycles: the Tandem instrument in use, self and 360 ratings, anonymous reports."""
