from . import test_village_partner
from . import test_security_groups
from . import test_tour
from . import test_problem_ledger
from . import test_digests
from . import test_digest_smtp
