from . import village_coverage_report
