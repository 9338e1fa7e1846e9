from . import test_security_groups, test_tour, test_village_partner
from . import test_power_demand
