from . import test_power_demand, test_security_groups, test_tour, test_village_partner
