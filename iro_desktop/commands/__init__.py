"""Sub-commands of `iro-desktop`, one module per area; each has register(subparsers)."""
