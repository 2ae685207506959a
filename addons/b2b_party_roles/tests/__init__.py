from . import test_access, test_approval, test_invoice_payer, test_party_defaults
from . import test_i18n
