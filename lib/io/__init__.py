"""Files in and out: importers, exporters and the demo generator."""
