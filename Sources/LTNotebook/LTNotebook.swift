// LTNotebook: see DESIGN.md. Work on this module is tracked in the issues.
