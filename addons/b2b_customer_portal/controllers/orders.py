"""/my/orders and /my/quotes: filters, groups and columns of a B2B customer's order lists,
and their CSV export. Extends Odoo's sale portal hooks; which orders a user may see is
decided by the record rules, the filters only narrow it."""

import csv
import io
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup, escape

from odoo import fields, http, models
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.sale.controllers import portal as sale_portal
from odoo.fields import Domain
from odoo.http import content_disposition, request
from odoo.tools import SQL, format_date
from odoo.tools import groupby as groupbyelem

from .filters import filter_menus, kept_filter_values

# query parameters of the lists (one value each), besides Odoo's page and sortby
FILTER_PARAMS = ("site", "contact", "order_type", "categ", "status", "date_begin", "date_end", "search")
# group-by key: the order field the list is sorted and grouped by
GROUPBY_FIELDS = {
    "site": "partner_shipping_id",
    "contact": "partner_id",
    "status": "b2b_portal_status",
    "order_type": "b2b_order_type",
    "month": "date_order",
}
# what Odoo's search of a grouped list's page is sorted by first: sites and contacts by their
# id, not by name, so that PostgreSQL walks an index of (group, date_order) and stops at the
# page's last order instead of joining and sorting all the customer's orders (speed, issue 14;
# sale_order_status.py); the page is then read in the groups' own order
# (_b2b_order_grouped_page), a month's orders being newest first either way
GROUPBY_ORDERS = {
    "site": "partner_shipping_id.id",
    "contact": "partner_id.id",
    "status": "b2b_portal_status",
    "order_type": "b2b_order_type",
    "month": "date_order desc",
}
# colour of each status's badge
STATUS_CLASSES = {
    "cancelled": "text-bg-danger",
    "rejected": "text-bg-danger",
    "to_approve": "text-bg-warning",
    "held": "text-bg-warning",
    "prepayment": "text-bg-warning",
    "quotation": "text-bg-secondary",
    "confirmed": "text-bg-primary",
    "partially_delivered": "text-bg-info",
    "delivered": "text-bg-success",
    "invoiced": "text-bg-success",
}
# the cells this addon adds to each row of the lists, built once per row with its values
# escaped (speed, issue 14: one chunk of HTML per row instead of a dozen QWeb expressions;
# markupsafe's Markup.format costs ten times more than escape and %)
ROW_CELLS = (
    '<td class="d-none d-md-table-cell o_b2b_ordered_by">%s</td>'
    '<td class="o_b2b_sites">%s</td>'
    '<td class="d-none d-md-table-cell o_b2b_po_ref">%s</td>'
    '<td class="o_b2b_status"><span class="badge rounded-pill o_b2b_portal_status %s" data-status="%s">%s</span>%s</td>'
)
# the delivery progress of a confirmed order, beneath its status (layout in b2b_portal.scss)
ROW_PROGRESS = (
    '<div class="o_b2b_delivery_progress"><div class="progress" role="progressbar" aria-valuenow="%(p)d">'
    '<div class="progress-bar" style="width: %(p)d%%"></div></div><small>%(p)d%%</small></div>'
)
# cells a spreadsheet would run as a formula
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class B2bOrdersPortal(sale_portal.CustomerPortal):
    # ------------------------------------------------------------------
    # Which orders the lists show
    # ------------------------------------------------------------------
    def _prepare_quotations_domain(self, partner):
        # Odoo lists the quotations sent to the customer; the drafts the customer's people
        # follow (created in the portal, waiting for or refused by their approver, held for
        # credit) are listed too, not those a salesperson is still preparing
        domain = self._b2b_customer_contacts_once(Domain(super()._prepare_quotations_domain(partner)))
        followed_drafts = Domain("state", "in", ("draft", "cancel")) & Domain(
            request.env["sale.order"]._b2b_portal_visible_domain()
        )
        domain = (domain | followed_drafts) & self._b2b_order_list_domain()
        return list(domain)

    def _prepare_orders_domain(self, partner):
        domain = self._b2b_customer_contacts_once(Domain(super()._prepare_orders_domain(partner)))
        return list(domain & self._b2b_order_list_domain())

    def _b2b_customer_contacts_once(self, domain):
        """Odoo's lists search the orders of 'partner_id child_of <the customer>', which looks
        the customer's contacts up level by level (two queries) in every search of the page:
        the count, the page, the group counts. They are looked up once per request here, in
        one query, as Odoo does (every contact under the customer, archived ones too); the
        record rules apply as before (speed, issue 14)."""
        contacts_of = getattr(request, "_b2b_contacts_of", None)
        if contacts_of is None:
            contacts_of = request._b2b_contacts_of = {}

        def resolve(condition):
            value = condition.value
            if (
                condition.field_expr != "partner_id"
                or condition.operator != "child_of"
                or not isinstance(value, (list, tuple))
                or not all(isinstance(partner_id, int) for partner_id in value)
            ):
                return condition
            key = tuple(sorted(set(value)))
            if key not in contacts_of:
                request.env["res.partner"].flush_model(["parent_id"])
                request.env.cr.execute(
                    SQL(
                        """
                        WITH RECURSIVE contact(id) AS (
                            SELECT id FROM res_partner WHERE id = ANY(%s)
                             UNION
                            SELECT child.id FROM res_partner child JOIN contact ON child.parent_id = contact.id
                        )
                        SELECT id FROM contact ORDER BY id
                        """,
                        list(key),
                    )
                )
                contacts_of[key] = [row[0] for row in request.env.cr.fetchall()]
            return Domain("partner_id", "in", contacts_of[key])

        return domain.map_conditions(resolve)

    def _b2b_order_list_domain(self):
        """The filters of the list being rendered (none outside a list)."""
        order_list = getattr(request, "_b2b_order_list", None)
        return order_list["domain"] if order_list else Domain.TRUE

    def _get_sale_searchbar_sortings(self):
        sortings = super()._get_sale_searchbar_sortings()
        order_list = getattr(request, "_b2b_order_list", None)
        first = order_list and GROUPBY_ORDERS.get(order_list["groupby"])
        if first:
            # grouped lists are sorted by their group first, as Odoo's timesheet list is (months:
            # newest first); a group's orders follow each other, which _b2b_order_groups counts on
            for key, sorting in sortings.items():
                if not sorting["order"].startswith(first):
                    sortings[key] = dict(sorting, order=f"{first}, {sorting['order']}")
        return sortings

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------
    def _b2b_order_filter_choices(self):
        """Values a user may filter on, as {param: [(key, label)]}: its own sites, the contacts
        of its customer, the order types, product categories and statuses. Two queries
        whatever the customer's size (speed, issue 14): the customer's sites and contacts with
        the user's own list of sites, the categories on sale; labels are their stored names (no
        display name computed per record)."""
        env = request.env
        partner = env.user.partner_id
        SaleOrder = env["sale.order"]
        # the user's own customer's contacts and addresses, and which are on the user's own list
        # of sites, in one query (like the catalogue's categories below: portal users may not
        # read them all)
        env["res.partner"].flush_model(
            ["name", "complete_name", "type", "active", "commercial_partner_id", "b2b_portal_site_ids"]
        )
        env.cr.execute(
            SQL(
                """
                SELECT person.id, person.name, person.complete_name, person.type,
                       EXISTS (SELECT 1
                                 FROM b2b_partner_portal_site_rel mine
                                WHERE mine.partner_id = %(user)s AND mine.site_id = person.id),
                       EXISTS (SELECT 1 FROM b2b_partner_portal_site_rel mine WHERE mine.partner_id = %(user)s)
                  FROM res_partner person
                 WHERE person.commercial_partner_id = %(entity)s
                   AND person.active
                   AND person.type IN ('contact', 'delivery')
              ORDER BY person.name, person.id
                """,
                user=partner.id,
                entity=partner.commercial_partner_id.id,
            )
        )
        people = env.cr.fetchall()
        # as res.partner._b2b_portal_sites: the active sites of the user's own list (none when
        # they are all archived), else, with no list, all its customer's sites
        has_own_list = bool(people) and people[0][5]
        sites = [person for person in people if (person[4] if has_own_list else person[3] == "delivery")]
        # the categories of what is on sale and their parents: not the catalogue's internal ones
        # (Odoo's "Expenses", an empty "Goods": English names in any language, since category
        # names are not translated)
        env.cr.execute(
            SQL(
                """
                WITH sold AS (
                    SELECT DISTINCT template.categ_id
                      FROM product_template template
                     WHERE template.sale_ok AND template.active
                )
                SELECT categ.id, categ.complete_name
                  FROM product_category categ
                 WHERE categ.id IN (
                        -- a sold category and its parents, from its path ('1/4/9/'): the
                        -- templates are read once, not once per category
                        SELECT unnest(string_to_array(rtrim(sold_categ.parent_path, '/'), '/'))::int
                          FROM product_category sold_categ
                          JOIN sold ON sold.categ_id = sold_categ.id)
              ORDER BY categ.complete_name
                """
            )
        )
        categories = env.cr.fetchall()
        return {
            "site": [(str(site_id), complete_name) for site_id, _name, complete_name, *_rest in sites],
            "contact": [(str(person_id), name) for person_id, name, _full, kind, *_rest in people if kind == "contact"],
            "order_type": SaleOrder._fields["b2b_order_type"]._description_selection(env),
            "categ": [(str(categ_id), complete_name) for categ_id, complete_name in categories],
            "status": SaleOrder._fields["b2b_portal_status"]._description_selection(env),
        }

    def _b2b_parse_date(self, value):
        try:
            return fields.Date.to_date(value)
        except (TypeError, ValueError):
            return None

    def _b2b_order_filters(self, params):
        """Read the list's query parameters: {'domain', 'groupby', 'filters' (kept values),
        'notices' (values ignored, said to the user), 'choices'}. Values outside the user's
        choices (another customer's site, an unknown key) are ignored, never searched."""
        env = request.env
        choices = self._b2b_order_filter_choices()
        domain = Domain.TRUE
        labels = {
            "site": env._("site"),
            "contact": env._("ordering contact"),
            "order_type": env._("order type"),
            "categ": env._("product category"),
            "status": env._("status"),
        }
        filters, notices = kept_filter_values(params, labels, choices)
        if "site" in filters:
            domain &= Domain("order_line", "any", [("partner_shipping_id", "=", int(filters["site"]))])
        if "contact" in filters:
            domain &= Domain("partner_id", "=", int(filters["contact"]))
        if "order_type" in filters:
            domain &= Domain("b2b_order_type", "=", filters["order_type"])
        if "categ" in filters:
            # the catalogue is read in superuser mode (portal users have no access to categories):
            # a subquery, whatever the number of products
            products = env["product.product"].sudo()._search([("categ_id", "child_of", int(filters["categ"]))])
            domain &= Domain("order_line", "any", [("product_id", "in", products)])
        if "status" in filters:
            domain &= Domain("b2b_portal_status", "=", filters["status"])

        tz = pytz.timezone(env.user.tz or "UTC")
        for param in ("date_begin", "date_end"):
            value = (params.get(param) or "").strip()
            if not value:
                continue
            day = self._b2b_parse_date(value)
            try:
                # the day starts at midnight in the user's time zone (the range ends the next day)
                start = datetime.combine(day + timedelta(days=1) if param == "date_end" else day, time.min)
                moment = tz.localize(start).astimezone(pytz.utc).replace(tzinfo=None)
            except (TypeError, OverflowError):
                # not a date, or one at the edge of the calendar (0001-01-01, 9999-12-31)
                notices.append(env._("Invalid date ignored: %(value)s", value=value[:40]))
                continue
            filters[param] = fields.Date.to_string(day)
            domain &= Domain("date_order", ">=" if param == "date_begin" else "<", moment)

        search = (params.get("search") or "").strip()
        if search:
            filters["search"] = search
            domain &= (
                Domain("name", "ilike", search)
                | Domain("client_order_ref", "ilike", search)
                | Domain(
                    "order_line",
                    "any",
                    [
                        (
                            "product_id",
                            "in",
                            env["product.product"]
                            .sudo()
                            .with_context(active_test=False)
                            ._search(["|", ("default_code", "ilike", search), ("name", "ilike", search)]),
                        )
                    ],
                )
            )

        groupby = params.get("groupby") or "none"
        if groupby != "none" and groupby not in GROUPBY_FIELDS:
            notices.append(env._("Unknown grouping ignored: %(value)s", value=groupby[:40]))
            groupby = "none"
        return {"domain": domain, "groupby": groupby, "filters": filters, "notices": notices, "choices": choices}

    def _b2b_searchbar_groupby(self):
        env = request.env
        return {
            "none": {"label": env._("None")},
            "site": {"label": env._("Site")},
            "contact": {"label": env._("Ordered By")},
            "status": {"label": env._("Status")},
            "order_type": {"label": env._("Order Type")},
            "month": {"label": env._("Month")},
        }

    # ------------------------------------------------------------------
    # The lists
    # ------------------------------------------------------------------
    def _prepare_sale_portal_rendering_values(
        self, page=1, date_begin=None, date_end=None, sortby=None, quotation_page=False, **kwargs
    ):
        params = {key: kwargs.pop(key, None) for key in (*FILTER_PARAMS, "groupby", "search_in")}
        # the invoice list's names of the date range (date_from, date_to) are read too, with
        # the same notice when they are not dates
        params.update(
            date_begin=date_begin or kwargs.pop("date_from", None),
            date_end=date_end or kwargs.pop("date_to", None),
        )
        kwargs.pop("date_from", None)
        kwargs.pop("date_to", None)
        order_list = self._b2b_order_filters(params)
        sortings = self._get_sale_searchbar_sortings()
        if sortby and sortby not in sortings:
            # Odoo would answer an unknown sorting with an error page
            order_list["notices"].append(request.env._("Unknown sorting ignored: %(value)s", value=sortby[:40]))
            sortby = None
        # read by the domain and sorting hooks while Odoo's list is prepared (Odoo's own
        # creation-date range is replaced by ours, on the order date)
        request._b2b_order_list = order_list
        try:
            partner = request.env.user.partner_id
            domain = (
                self._prepare_quotations_domain(partner) if quotation_page else self._prepare_orders_domain(partner)
            )
            group_counts = self._b2b_order_group_counts(domain, order_list["groupby"])
            if group_counts is not None:
                # Odoo's count of the whole list is the sum of its groups, and its page is read
                # here in the groups' own order (sale_order_status.py: search_count and search
                # answer Odoo's for the same user, domain and page): no second scan of the orders
                total = sum(group_counts.values())
                offset = portal_pager(url="", total=total, page=page, step=self._items_per_page)["offset"]
                order_list["count"] = (request.env.uid, domain, total)
                order_list["page"] = (
                    (request.env.uid, offset, self._items_per_page),
                    domain,
                    self._b2b_order_grouped_page(
                        domain,
                        order_list["groupby"],
                        group_counts,
                        offset,
                        sortings.get(sortby or "date", sortings["date"])["order"],
                    ),
                )
            values = super()._prepare_sale_portal_rendering_values(
                page=page, sortby=sortby, quotation_page=quotation_page, **kwargs
            )
        finally:
            del request._b2b_order_list
        groupby = order_list["groupby"]
        orders = values["quotations"] if quotation_page else values["orders"]
        url_args = dict(order_list["filters"], groupby=groupby if groupby != "none" else None)
        if values.get("sortby"):
            url_args["sortby"] = values["sortby"]
        # Odoo's pager links know only its own arguments: the same pages, with the filters
        pager = values["pager"]
        values["pager"] = portal_pager(
            url=values["default_url"],
            total=pager["page_count"] * self._items_per_page,
            page=pager["page"]["num"],
            step=self._items_per_page,
            url_args={key: value for key, value in url_args.items() if value},
        )
        values.update(
            {
                "b2b_order_filter_menus": self._b2b_order_filter_menus(values["default_url"], order_list),
                "b2b_order_groups": self._b2b_order_groups(orders, domain, groupby, values["pager"], group_counts),
                "b2b_order_rows": self._b2b_order_rows(orders),
                "b2b_order_notices": order_list["notices"],
                "b2b_order_filters": order_list["filters"],
                # an empty list then says that nothing matches, not that there are no orders
                "b2b_order_filtered": bool(order_list["filters"]),
                "b2b_order_choices": order_list["choices"],
                "b2b_export_url": "/my/orders/export",
                "searchbar_groupby": self._b2b_searchbar_groupby(),
                "groupby": groupby,
                "searchbar_inputs": {"all": {"input": "all", "label": request.env._("Search in orders")}},
                "search_in": "all",
                "search": order_list["filters"].get("search", ""),
            }
        )
        return values

    def _b2b_order_filter_menus(self, url, order_list):
        """The filter dropdowns: [{'param', 'label', 'current', 'items': [{'label', 'url', 'active'}]}];
        each link keeps the other filters and the grouping."""
        env = request.env
        labels = {
            "site": env._("Site:"),
            "contact": env._("Ordered by:"),
            "order_type": env._("Type:"),
            "categ": env._("Category:"),
            "status": env._("Status:"),
        }
        return filter_menus(url, order_list, labels)

    def _b2b_order_group_counts(self, domain, groupby):
        """{group key: number of orders} of every group of a list grouped by site, contact,
        status or order type, in one query through the record rules (None for other lists): the
        whole list's count is their sum. A list grouped by month counts its edge months only
        (_b2b_order_groups): one count per month would cost more than Odoo's count."""
        SaleOrder = request.env["sale.order"]
        if groupby in ("none", "month") or not SaleOrder.has_access("read"):
            return None
        # a group's site or contact is named as Odoo's list reads the page's orders, in
        # superuser mode (the orders were found through the record rules)
        return {
            (key.sudo() if isinstance(key, models.BaseModel) else key): count
            for key, count in SaleOrder._read_group(domain, [GROUPBY_FIELDS[groupby]], ["__count"])
        }

    def _b2b_order_group_keys(self, groupby, group_counts):
        """The groups of a list in the order they are shown: sites and contacts by name (a
        contact after its company), statuses by precedence, order types as their selection
        lists them."""
        field = request.env["sale.order"]._fields[GROUPBY_FIELDS[groupby]]
        if field.type == "many2one":
            return sorted(group_counts, key=lambda key: (not key, (key.display_name or "").casefold(), key.id or 0))
        rank = {value: index for index, (value, _label) in enumerate(field._description_selection(request.env))}
        return sorted(group_counts, key=lambda key: (rank.get(key, len(rank)), key or ""))

    def _b2b_order_grouped_page(self, domain, groupby, group_counts, offset, order):
        """The orders of a grouped list's page from ``offset``, in the groups' order
        (_b2b_order_group_keys), each group sorted by ``order``: the page's part of each group
        is known from the groups' counts, and read in at most three searches whatever the
        number of groups (the first group from its offset, the groups wholly on the page
        together, the last group up to the page's end), each walking a (group, date_order)
        index."""
        SaleOrder = request.env["sale.order"]
        field = GROUPBY_FIELDS[groupby]
        if not any(term.split()[0] == "id" for term in order.split(",")):
            # a total order: a group read in two parts over two pages never shows an order twice
            # nor skips one among orders of the same date
            order = f"{order}, id desc"
        start, end = offset, offset + self._items_per_page
        position = 0
        segments = []  # (key, offset in the group, number of orders)
        for key in self._b2b_order_group_keys(groupby, group_counts):
            count = group_counts[key]
            if position < end and position + count > start:
                first = max(start - position, 0)
                segments.append((key, first, min(end - position, count) - first))
            position += count

        def value(key):
            return key.id if isinstance(key, models.BaseModel) else key

        whole = [key for key, first, number in segments if first == 0 and number == group_counts[key]]
        found = {}
        if whole:
            # found through the record rules; their group is read as Odoo's list reads the
            # page's orders, in superuser mode (the rules are not applied again to the read)
            for order_record in SaleOrder.search(
                Domain(domain) & Domain(field, "in", [value(key) for key in whole]), order=order
            ).sudo():
                found.setdefault(value(order_record[field]), []).append(order_record.sudo(False))
        parts = []
        for key, first, number in segments:
            if key in whole:
                parts.extend(found.get(value(key), []))
            else:
                parts.append(
                    SaleOrder.search(
                        Domain(domain) & Domain(field, "=", value(key)), order=order, offset=first, limit=number
                    )
                )
        return SaleOrder.concat(*parts)

    def _b2b_order_groups(self, orders, domain, groupby, pager, group_counts=None):
        """The page's orders in groups: [{'label', 'count' (in the whole list), 'orders'}].
        The counts are group_counts' (every group's) when given. Otherwise (months) the list is
        sorted by its group first, so a group between the page's first and last is wholly on
        the page and counted there; only the first group (when pages come before) and the last
        (when pages come after) are counted in SQL, in one query restricted to them (speed,
        issue 14: not every group of the list)."""
        if groupby == "none":
            return [{"label": False, "count": len(orders), "orders": orders}] if orders else []
        if not orders:
            return []
        SaleOrder = request.env["sale.order"]
        field = GROUPBY_FIELDS[groupby]
        if groupby == "month":

            def key_of(order):
                return fields.Datetime.context_timestamp(order, order.date_order).date().replace(day=1)

        else:

            def key_of(order):
                return order[field]

        page_groups = [(key, list(group_orders)) for key, group_orders in groupbyelem(orders, key_of)]
        if group_counts is not None:
            counts = group_counts
        else:
            # months: a month between the page's first and last lies wholly on the page
            counts = {key: len(group_orders) for key, group_orders in page_groups}
            edge_keys = []
            if pager["offset"] > 0:
                edge_keys.append(page_groups[0][0])
            if pager["page"]["num"] < pager["page_count"]:
                edge_keys.append(page_groups[-1][0])
            if edge_keys:
                # the edge months, with a day to spare on each side for any time zone (only
                # the edge months' counts are used)
                since = datetime.combine(min(edge_keys) - timedelta(days=1), time.min)
                until = datetime.combine(
                    (max(edge_keys) + timedelta(days=32)).replace(day=1) + timedelta(days=1), time.min
                )
                month_domain = Domain(domain) & Domain("date_order", ">=", since) & Domain("date_order", "<", until)
                month_counts = {
                    (month.date() if isinstance(month, datetime) else month): count
                    for month, count in SaleOrder._read_group(month_domain, ["date_order:month"], ["__count"])
                }
                counts.update({key: month_counts.get(key, 0) for key in edge_keys})
        labels = (
            dict(SaleOrder._fields[field]._description_selection(request.env))
            if groupby in ("status", "order_type")
            else {}
        )
        groups = []
        for key, group_orders in page_groups:
            if groupby == "month":
                # the month's name and year in the user's language, as the invoice list names them
                label = format_date(request.env, key, date_format="MMMM yyyy").capitalize()
            elif labels:
                label = labels.get(key, key)
            else:
                label = key.display_name
            groups.append(
                {
                    "label": label,
                    "count": counts.get(key, 0),
                    "orders": orders.browse().concat(*group_orders),
                }
            )
        return groups

    def _b2b_order_rows(self, orders):
        """The cells the list adds to each order of the page beyond Odoo's columns (ordered by,
        the sites' own names, PO reference, status badge, and the delivered share in % beneath
        the status of a confirmed order), read in one query (one row per order): {order id:
        the row's HTML cells}. The template writes them as they are (speed, issue 14: no ORM
        read and no QWeb expression per row)."""
        if not orders:
            return {}
        env = request.env
        env["sale.order"].flush_model(["partner_id", "client_order_ref", "b2b_portal_status", "state"])
        env["sale.order.line"].flush_model(
            ["order_id", "partner_shipping_id", "display_type", "is_downpayment", "product_uom_qty", "qty_delivered"]
        )
        env["res.partner"].flush_model(["name", "complete_name"])
        # the orders were found through the record rules: their lines are read in full; a site
        # is named by its own name (its customer is the user's): half the HTML of its full name
        env.cr.execute(
            SQL(
                """
                SELECT o.id, contact.name, o.client_order_ref, o.b2b_portal_status, o.state,
                       lines.site_names, lines.ordered, lines.delivered
                  FROM sale_order o
                  JOIN res_partner contact ON contact.id = o.partner_id
             LEFT JOIN LATERAL (
                        SELECT ARRAY_AGG(DISTINCT COALESCE(site.name, site.complete_name))
                                   FILTER (WHERE site.id IS NOT NULL) AS site_names,
                               SUM(line.product_uom_qty) AS ordered,
                               SUM(line.qty_delivered) AS delivered
                          FROM sale_order_line line
                     LEFT JOIN res_partner site ON site.id = line.partner_shipping_id
                         WHERE line.order_id = o.id
                           AND line.display_type IS NULL
                           AND line.is_downpayment IS NOT TRUE
                       ) lines ON TRUE
                 WHERE o.id = ANY(%s)
                """,
                orders.ids,
            )
        )
        labels = dict(env["sale.order"]._fields["b2b_portal_status"]._description_selection(env))
        rows = {}
        for order_id, contact, po_ref, status, state, site_names, ordered, delivered in env.cr.fetchall():
            progress = None
            if state == "sale":
                progress = round(min((delivered or 0.0) / ordered, 1.0) * 100) if ordered and ordered > 0 else 0
            rows[order_id] = Markup(
                ROW_CELLS
                % (
                    escape(contact or ""),
                    escape(", ".join(sorted(site_names or []))),
                    escape(po_ref or ""),
                    STATUS_CLASSES.get(status, "text-bg-light"),
                    escape(status or ""),
                    escape(labels.get(status) or ""),
                    ROW_PROGRESS % {"p": progress} if progress is not None else "",
                )
            )
        return rows

    # ------------------------------------------------------------------
    # CSV export
    # ------------------------------------------------------------------
    @http.route("/my/orders/export", type="http", auth="user", website=True)
    def portal_my_orders_export(self, date_begin=None, date_end=None, **kwargs):
        """The filtered orders' lines as CSV (UTF-8 with BOM, ';'), one row per order line."""
        params = {key: kwargs.get(key) for key in (*FILTER_PARAMS, "groupby")}
        params.update(date_begin=date_begin, date_end=date_end)
        order_list = self._b2b_order_filters(params)
        if order_list["notices"]:
            # a file of other orders than asked for would mislead: refuse, saying why
            return request.make_response(
                "\n".join(order_list["notices"]),
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=400,
            )
        request._b2b_order_list = order_list
        try:
            order_domain = self._prepare_orders_domain(request.env.user.partner_id)
        finally:
            del request._b2b_order_list
        content = self._b2b_orders_csv(order_domain)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                ("Content-Disposition", content_disposition("orders.csv")),
            ],
        )

    def _b2b_orders_csv(self, order_domain):
        env = request.env
        # the orders, then their lines, are found as the user, through the record rules, then
        # read in one query whatever their number (the ORM's prefetching would read them by
        # thousands); ids are passed as lists: PostgreSQL plans the rules' nested subqueries
        # badly (minutes) when orders and lines are searched in one query
        order_ids = list(env["sale.order"]._search(order_domain))
        line_ids = list(env["sale.order.line"]._search([("order_id", "in", order_ids), ("display_type", "=", False)]))
        lang_code = env.lang or "en_US"
        env.cr.execute(
            SQL(
                """
                SELECT o.name, o.date_order, o.client_order_ref, contact.name, site.complete_name,
                       product.default_code, COALESCE(template.name->>%(lang)s, template.name->>'en_US', line.name),
                       line.product_uom_qty, line.qty_delivered, line.qty_invoiced, line.price_unit,
                       line.price_subtotal, line.price_total, currency.name, o.b2b_portal_status
                  FROM sale_order_line line
                  JOIN sale_order o ON o.id = line.order_id
                  JOIN res_partner contact ON contact.id = o.partner_id
                  JOIN res_currency currency ON currency.id = o.currency_id
             LEFT JOIN res_partner site ON site.id = line.partner_shipping_id
             LEFT JOIN product_product product ON product.id = line.product_id
             LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE line.id = ANY(%(lines)s)
              ORDER BY o.date_order DESC, o.id DESC, line.sequence, line.id
                """,
                lang=lang_code,
                lines=line_ids,
            )
        )
        rows = env.cr.fetchall()
        lang = env["res.lang"]._get_data(code=lang_code)
        decimal_point = lang.decimal_point or "."
        date_format = lang.date_format or "%Y-%m-%d"
        tz = pytz.timezone(env.user.tz or "UTC")
        statuses = dict(env["sale.order"]._fields["b2b_portal_status"]._description_selection(env))

        def number(value):
            return f"{value or 0.0:.2f}".replace(".", decimal_point)

        def text(value):
            value = value or ""
            return "'" + value if value.startswith(FORMULA_PREFIXES) else value

        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [
                env._("Order"),
                env._("Date"),
                env._("Customer Reference"),
                env._("Ordered By"),
                env._("Site"),
                env._("Product Reference"),
                env._("Product Name"),
                env._("Quantity Ordered"),
                env._("Quantity Delivered"),
                env._("Quantity Invoiced"),
                env._("Unit Price (Excl. Tax)"),
                env._("Untaxed Amount"),
                env._("Total"),
                env._("Currency"),
                env._("Status"),
            ]
        )
        for (
            name,
            date_order,
            reference,
            contact,
            site,
            code,
            product,
            ordered,
            delivered,
            invoiced,
            price_unit,
            subtotal,
            total,
            currency,
            status,
        ) in rows:
            writer.writerow(
                [
                    text(name),
                    pytz.utc.localize(date_order).astimezone(tz).strftime(date_format),
                    text(reference),
                    text(contact),
                    text(site),
                    text(code),
                    text(product),
                    number(ordered),
                    number(delivered),
                    number(invoiced),
                    number(price_unit),
                    number(subtotal),
                    number(total),
                    currency,
                    statuses.get(status, ""),
                ]
            )
        return buffer.getvalue().encode("utf-8")
