"""Reminders: the sweep that works out what is due and claims it, the delivery of each email,
the messages themselves, and what staff and people can change (pauses, opt-outs).
"""
