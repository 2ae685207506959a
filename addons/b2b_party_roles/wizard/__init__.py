from . import b2b_approval_reject_wizard
