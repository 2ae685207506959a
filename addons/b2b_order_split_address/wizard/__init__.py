from . import b2b_quick_entry
