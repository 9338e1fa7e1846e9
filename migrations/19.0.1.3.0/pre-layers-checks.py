"""19.0.1.3.0: two rules that were Python constraints are CHECKs in the
database: a demand's kW is not negative, an agreement does not end before it
starts. The constraints held for every writer of the ORM, but a row written
by SQL could break them, and the update would then leave the CHECK out: such
rows are repaired first (a negative demand becomes 0 kW, an end date before
the start becomes the start date)."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(SQL("UPDATE crm_lead SET power_demand_kw = 0 WHERE power_demand_kw < 0"))
    if cr.rowcount:
        _logger.warning("%s demands with a negative kW set to 0", cr.rowcount)
    cr.execute(SQL("UPDATE village_agreement SET date_end = date_start WHERE date_end < date_start"))
    if cr.rowcount:
        _logger.warning("%s agreements ending before their start now end on their start date", cr.rowcount)
