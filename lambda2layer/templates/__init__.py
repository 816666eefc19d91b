"""Jinja templates of the generated layer modules (shipped inside the wheel)."""
