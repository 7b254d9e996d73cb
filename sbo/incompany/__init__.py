"""In-company and maatwerk requests: an organisation asks for a training for its own team, from
an offering's page or from /maatwerk. The requester gets a confirmation mail; the staff queue
(sbo/staff/incompany.py) follows each request up through its statuses."""
