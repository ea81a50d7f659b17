"""PostDesk: an editorial workstation for Jekyll blogs."""

__version__ = "0.1.0"
