# WCAG AA contrast of every built-in theme's text colours (light and dark).
python3 tests/tools/contrast.py
