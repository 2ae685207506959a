from . import b2b_credit_decision_wizard
