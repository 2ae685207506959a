"""What the portal lists (orders, invoices) share in reading their filters."""

from urllib.parse import urlencode as url_encode

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


def filter_menus(url, listing, labels):
    """The filter dropdowns of a list (``listing``: its 'filters', 'groupby' and 'choices'):
    [{'param', 'label', 'current', 'items': [{'label', 'url', 'active', 'value'}]}], one per
    parameter of ``labels`` that has choices; each link keeps the other filters and the grouping."""
    env = request.env
    current = dict(listing["filters"])
    if listing["groupby"] != "none":
        current["groupby"] = listing["groupby"]
    menus = []
    for param, label in labels.items():
        choices = listing["choices"][param]
        if not choices:
            continue
        others = {key: value for key, value in current.items() if key != param}
        selected = current.get(param)
        items = [{"label": env._("All"), "url": f"{url}?{url_encode(others)}", "active": not selected, "value": ""}]
        items += [
            {
                "label": choice_label,
                "url": f"{url}?{url_encode(dict(others, **{param: key}))}",
                "active": key == selected,
                "value": key,
            }
            for key, choice_label in choices
        ]
        menus.append(
            {
                "param": param,
                "label": label,
                "current": dict(choices).get(selected) if selected else env._("All"),
                "items": items,
            }
        )
    return menus
