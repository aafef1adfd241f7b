"""Turns reports into text: `terminal` for people (rich), `json` for CI and scripts."""
