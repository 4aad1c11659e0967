"""One module per wizard step; each is a typed Screen[T] that returns its answer or BACK."""
