from . import b2b_credit_ageing_report
