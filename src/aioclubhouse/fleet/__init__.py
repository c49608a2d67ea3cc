"""Listener fleets over NATS JetStream."""
