"""The method's words, the errors the library raises, and the one validation layer."""
