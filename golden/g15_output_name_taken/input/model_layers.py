"""Hand-written layers of this project: never overwritten."""
