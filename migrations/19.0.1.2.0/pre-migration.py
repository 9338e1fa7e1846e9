"""19.0.1.2.0: the close-out record is written in order (planned <= rectified
<= closed out), now a CHECK constraint. Before this release a measure written
with its deadline after the fact stamped `date_planned` with the time of the
write, so problems (the demo ledger's among them) read as planned after their
own rectification: they were planned when they were collected at the latest."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE helpdesk_ticket
                  SET date_planned = LEAST(create_date, date_rectified)
                WHERE date_planned > date_rectified"""
        )
    )
