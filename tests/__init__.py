from . import test_security_groups, test_tour, test_village_agreement, test_village_partner
