"""What the portal lists (orders, invoices) share in reading their filters."""

from odoo.http import request


def kept_filter_values(params, labels, choices):
    """The query parameters among ``labels`` whose value is one of the user's ``choices``:
    ({param: value}, [notice of each value ignored]). A value outside them (another
    customer's site or entity, an unknown key) is never searched, and the user is told."""
    env = request.env
    filters, notices = {}, []
    for param, label in labels.items():
        value = (params.get(param) or "").strip()
        if not value:
            continue
        if value not in dict(choices[param]):
            notices.append(
                env._(
                    "Filter ignored (%(filter)s): %(value)s is not one of your choices.",
                    filter=label,
                    value=value[:40],
                )
            )
            continue
        filters[param] = value
    return filters, notices
