"""Cases: the unit of an investigation, and people's review of what the machine read.

A case has a team and links to incidents, reports, claims and exhibits; a
reviewer accepts, corrects, rejects or adds claims the intake extracted. Every
change is a signed log entry (:mod:`~athar.cases.entries` says which and
checks their bodies), written to the case tables by :class:`~athar.cases.hook.CaseHook`
in the append's transaction; :class:`~athar.cases.service.CaseService` makes
and reads them.
"""
