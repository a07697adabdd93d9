"""The Import & export page's tabs, one module each: `import_tab`, `export_tab`,
`duplicates_tab`; each has `show(db, day)`, which the page calls for the open tab."""
