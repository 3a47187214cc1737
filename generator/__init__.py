"""Builds an accessible, private patient-education website from structured YAML topics."""
