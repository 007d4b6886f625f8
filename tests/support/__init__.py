"""Plain helper modules shared by the tests (fixtures stay in conftest.py files)."""
