"""Figures for papers, painted with QtGui only (no widgets, no window): drawn the same
on screen and into the PNG or SVG a user exports, from the window or from a command
(``timeline-app compare --chart``). Neither the UI nor the commands: both use it."""
