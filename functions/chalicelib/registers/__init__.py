"""The registers operation: books, running numbers, cancelling, listing, exports, the receipt stamp."""
