"""Privacy: the privacy statement, the terms and the accessibility statement (issue 13).

A top-layer blueprint: it reads the domains (cancellation terms, retention periods) and no
domain imports it."""
