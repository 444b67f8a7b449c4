"""The view models of the workbench's pages, one module a page (and `common` for what
they share): each builds what its page shows from the reads in
`passage.workbench.selectors` and queries the database no further."""
