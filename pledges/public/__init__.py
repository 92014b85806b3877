"""What anyone sees of pledges: the shared practices charter staff made public."""
