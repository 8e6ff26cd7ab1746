"""B2B meeting scheduling: the problem, its MiniZinc data files and the solver
(docs/scheduling.md). Plain Python and OR-Tools; no Django, so the events pages, the
command line and the benchmark call the same functions."""
