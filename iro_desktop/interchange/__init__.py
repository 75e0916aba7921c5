"""The council's files: SSDA903 tables read and written as pure functions.

Nothing here opens the caseload: readers turn files into checked rows with every problem
collected as (file, line, column, rule); writers turn domain objects into the DfE's CSV
tables. The services run an import or an export as one unit of work.
"""
