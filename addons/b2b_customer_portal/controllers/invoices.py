"""/my/invoices: filters (billed party, payer, site, status, invoice dates, search), groups
and columns of a B2B customer's invoice list, and the ZIP of a selection of invoices.
Extends Odoo's account portal hooks; which invoices a user may see is decided by the
record rules (a payer's people see the invoices it pays, billed to whoever), the filters
only narrow it."""

from odoo import fields, http
from odoo.addons.account.controllers import portal as account_portal
from odoo.addons.account.controllers.download_docs import _build_zip_from_data, _get_headers
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import format_date
from odoo.tools import groupby as groupbyelem

from ..models.account_move import B2B_PORTAL_STATUS_RANK
from .filters import filter_menus, kept_filter_values
from .statement import STATEMENT_ROLES

# query parameters of the list (one value each), besides Odoo's page, sortby and filterby
INVOICE_FILTER_PARAMS = ("billed", "payer", "site", "status", "date_from", "date_to", "search")
# group-by key: the invoice field the list is sorted and grouped by
INVOICE_GROUPBY_FIELDS = {
    "billed": "commercial_partner_id",
    "status": B2B_PORTAL_STATUS_RANK,
    "month": "invoice_date",
}
# the row badge of an invoice: the first of these statuses whose filter it matches
INVOICE_STATUS_PRECEDENCE = ("disputed", "paid", "overdue", "partial", "open")
INVOICE_STATUS_BADGES = {
    "disputed": "text-bg-warning",
    "paid": "text-bg-success",
    "overdue": "text-bg-danger",
    "partial": "text-bg-info",
    "open": "text-bg-info",
}
# invoices one ZIP may hold (each is checked and read on its own)
INVOICE_DOWNLOAD_MAX = 200


class B2bInvoicesPortal(account_portal.PortalAccount):
    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------
    def _b2b_invoice_statuses(self):
        """{key: (label, domain)} of the status filter; "disputed" once the dispute model
        marks invoices (field ``b2b_disputed`` on account.move). The labels name an invoice's
        status (their own sources: in French an invoice is "Échue", an amount "Échu")."""
        env = request.env
        today = fields.Date.context_today(env.user)
        open_domain = Domain("state", "=", "posted") & Domain("payment_state", "in", ("not_paid", "partial"))
        statuses = {
            "open": (env._("Open"), open_domain),
            "overdue": (env._("Past due"), open_domain & Domain("invoice_date_due", "<", today)),
            "partial": (env._("Partly paid"), Domain("state", "=", "posted") & Domain("payment_state", "=", "partial")),
            "paid": (
                env._("Fully paid"),
                Domain("state", "=", "posted") & Domain("payment_state", "in", ("paid", "in_payment", "reversed")),
            ),
        }
        if "b2b_disputed" in env["account.move"]._fields:
            statuses["disputed"] = (env._("Disputed"), Domain("b2b_disputed", "=", True))
        return statuses

    def _b2b_invoice_filter_choices(self):
        """Values a user may filter on, as {param: [(key, label)]}: the billed parties and payers
        of the invoices the user sees (found through the record rules, one query each), the
        sites of its customer and of those invoices, and the statuses."""
        env = request.env
        AccountMove = env["account.move"]
        Partner = env["res.partner"].sudo()
        choices = {"billed": [], "payer": [], "site": []}
        if AccountMove.has_access("read"):
            domain = self._get_invoices_domain("out")
            # the ids come through the record rules: their names are read in superuser mode
            for param, field in (
                ("billed", "commercial_partner_id"),
                ("payer", "payer_id"),
                ("site", "partner_shipping_id"),
            ):
                ids = [partner.id for (partner,) in AccountMove._read_group(domain, [field]) if partner]
                choices[param] = [(str(partner.id), partner.display_name) for partner in Partner.browse(ids)]
        sites = env.user.partner_id.sudo()._b2b_portal_sites()
        known = {key for key, _label in choices["site"]}
        choices["site"] += [(str(site.id), site.display_name) for site in sites if str(site.id) not in known]
        choices = {param: sorted(values, key=lambda choice: choice[1].lower()) for param, values in choices.items()}
        choices["status"] = [(key, label) for key, (label, _domain) in self._b2b_invoice_statuses().items()]
        return choices

    def _b2b_invoice_filters(self, params):
        """Read the list's query parameters: {'domain', 'groupby', 'filters' (kept values),
        'notices' (values ignored, said to the user), 'choices'}. Values outside the user's
        choices (another customer's entity, an unknown key) are ignored, never searched."""
        env = request.env
        choices = self._b2b_invoice_filter_choices()
        domain = Domain.TRUE
        labels = {
            "billed": env._("billed party"),
            "payer": env._("payer"),
            "site": env._("site"),
            "status": env._("status"),
        }
        filters, notices = kept_filter_values(params, labels, choices)
        if "billed" in filters:
            domain &= Domain("commercial_partner_id", "=", int(filters["billed"]))
        if "payer" in filters:
            domain &= Domain("payer_id", "=", int(filters["payer"]))
        if "site" in filters:
            site_id = int(filters["site"])
            domain &= Domain("partner_shipping_id", "=", site_id) | Domain(
                "invoice_line_ids", "any", [("sale_line_ids.partner_shipping_id", "=", site_id)]
            )
        if "status" in filters:
            domain &= self._b2b_invoice_statuses()[filters["status"]][1]

        dates = {}
        for param in ("date_from", "date_to"):
            value = (params.get(param) or "").strip()
            if not value:
                continue
            try:
                day = fields.Date.to_date(value)
            except (TypeError, ValueError):
                day = None
            if not day:
                notices.append(env._("Invalid date ignored: %(value)s", value=value[:40]))
                continue
            filters[param] = fields.Date.to_string(day)
            dates[param] = day
        if "date_from" in dates:
            domain &= Domain("invoice_date", ">=", dates["date_from"])
        if "date_to" in dates:
            domain &= Domain("invoice_date", "<=", dates["date_to"])

        search = (params.get("search") or "").strip()
        if search:
            filters["search"] = search[:100]
            domain &= (
                Domain("name", "ilike", filters["search"])
                | Domain("ref", "ilike", filters["search"])
                | Domain("invoice_origin", "ilike", filters["search"])
            )

        groupby = (params.get("groupby") or "none").strip()
        if groupby != "none" and groupby not in INVOICE_GROUPBY_FIELDS:
            notices.append(env._("Unknown grouping ignored: %(value)s", value=groupby[:40]))
            groupby = "none"
        return {"domain": domain, "groupby": groupby, "filters": filters, "notices": notices, "choices": choices}

    def _b2b_invoice_searchbar_groupby(self):
        env = request.env
        return {
            "none": {"label": env._("None")},
            "billed": {"label": env._("Billed Party")},
            "status": {"label": env._("Payment Status")},
            "month": {"label": env._("Month")},
        }

    # ------------------------------------------------------------------
    # Odoo's "Overdue invoices" (filter, count of its /my card and "Pay overdue" button):
    # Odoo counts only the invoices addressed to the logged-in contact; a portal user's
    # overdue invoices are those of the list (its record rules), as the status filter has them
    # ------------------------------------------------------------------
    def _b2b_overdue_in_scope(self):
        """Whether Odoo's overdue filter and count follow the user's invoice scope (portal
        users); internal users keep Odoo's own."""
        user = request.env.user
        return user.share and not user._is_public()

    def _b2b_overdue_domain(self):
        """The overdue invoices of the portal user's list: the status filter's "overdue"."""
        return self._get_invoices_domain("out") & self._b2b_invoice_statuses()["overdue"][1]

    def _get_account_searchbar_filters(self):
        filters = super()._get_account_searchbar_filters()
        if self._b2b_overdue_in_scope() and "overdue_invoices" in filters:
            filters["overdue_invoices"] = dict(filters["overdue_invoices"], domain=self._b2b_overdue_domain())
        return filters

    def _get_overdue_invoice_count(self):
        if not self._b2b_overdue_in_scope():
            return super()._get_overdue_invoice_count()
        AccountMove = request.env["account.move"]
        return AccountMove.search_count(self._b2b_overdue_domain()) if AccountMove.has_access("read") else 0

    # ------------------------------------------------------------------
    # The list
    # ------------------------------------------------------------------
    def _get_account_searchbar_sortings(self):
        sortings = super()._get_account_searchbar_sortings()
        invoice_list = getattr(request, "_b2b_invoice_list", None)
        field = invoice_list and INVOICE_GROUPBY_FIELDS.get(invoice_list["groupby"])
        if field:
            # grouped lists are sorted by their group first, as Odoo's timesheet list is
            prefix = f"{field} desc" if field == "invoice_date" else field
            sortings = {key: dict(sorting, order=f"{prefix}, {sorting['order']}") for key, sorting in sortings.items()}
        return sortings

    @http.route()
    def portal_my_invoices(self, page=1, date_begin=None, date_end=None, sortby=None, filterby=None, **kw):
        params = {key: kw.pop(key, None) for key in (*INVOICE_FILTER_PARAMS, "groupby")}
        invoice_list = self._b2b_invoice_filters(params)
        # read by the sorting and values hooks while Odoo's list is prepared
        request._b2b_invoice_list = invoice_list
        try:
            response = super().portal_my_invoices(
                page=page, date_begin=date_begin, date_end=date_end, sortby=sortby, filterby=filterby, **kw
            )
        finally:
            del request._b2b_invoice_list
        qcontext = getattr(response, "qcontext", None)
        if qcontext is not None and "b2b_invoice_list_domain" in qcontext:
            self._b2b_invoice_set_statuses(qcontext["invoices"])
            qcontext["b2b_invoice_select_currencies"] = self._b2b_invoice_select_currencies(qcontext["invoices"])
            qcontext["b2b_invoice_groups"] = self._b2b_invoice_groups(
                qcontext["invoices"], qcontext["b2b_invoice_list_domain"], invoice_list["groupby"]
            )
        return response

    def _prepare_my_invoices_values(
        self, page, date_begin, date_end, sortby, filterby, domain=None, url="/my/invoices"
    ):
        invoice_list = getattr(request, "_b2b_invoice_list", None)
        if invoice_list is None or url != "/my/invoices":
            return super()._prepare_my_invoices_values(
                page, date_begin, date_end, sortby, filterby, domain=domain, url=url
            )
        domain = Domain(domain or Domain.TRUE) & invoice_list["domain"]
        values = super()._prepare_my_invoices_values(
            page, date_begin, date_end, sortby, filterby, domain=domain, url=url
        )
        groupby = invoice_list["groupby"]
        # Odoo's pager links know only its own arguments: the same pages, with the filters
        url_args = dict(values["pager"]["url_args"], **invoice_list["filters"])
        if groupby != "none":
            url_args["groupby"] = groupby
        values["pager"]["url_args"] = {key: value for key, value in url_args.items() if value}
        filter_domain = values["searchbar_filters"].get(values["filterby"], {}).get("domain") or []
        values.update(
            {
                "b2b_invoice_list_domain": domain & self._get_invoices_domain() & Domain(filter_domain),
                "b2b_invoice_filter_menus": self._b2b_invoice_filter_menus(url, invoice_list),
                "b2b_invoice_notices": invoice_list["notices"],
                "b2b_invoice_filters": invoice_list["filters"],
                # an empty list then says that nothing matches, not that there are no invoices
                "b2b_invoice_filtered": bool(invoice_list["filters"]) or values["filterby"] != "all",
                "b2b_invoice_groups": [],
                "b2b_invoice_download_url": "/my/invoices/download",
                "b2b_statement_url": "/my/statement" if self._b2b_invoice_statement_allowed() else False,
                "searchbar_groupby": self._b2b_invoice_searchbar_groupby(),
                "groupby": groupby,
                "searchbar_inputs": {
                    "all": {"input": "all", "label": request.env._("Search in number, PO reference, order")}
                },
                "search_in": "all",
                "search": invoice_list["filters"].get("search", ""),
            }
        )
        return values

    def _b2b_invoice_statement_allowed(self):
        """Whether the list links to the statement of account (its route decides again)."""
        user = request.env.user
        return user.share and user.partner_id.sudo().b2b_portal_role in STATEMENT_ROLES

    def _b2b_invoice_filter_menus(self, url, invoice_list):
        """The filter dropdowns: [{'param', 'label', 'current', 'items': [{'label', 'url', 'active'}]}];
        each link keeps the other filters and the grouping."""
        env = request.env
        labels = {
            "billed": env._("Billed to:"),
            "payer": env._("Paid by:"),
            "site": env._("Site:"),
            "status": env._("Status:"),
        }
        return filter_menus(url, invoice_list, labels)

    def _b2b_invoice_status_key(self, invoice, today):
        """The key of ``_b2b_invoice_statuses`` shown on the invoice's row: the first of
        INVOICE_STATUS_PRECEDENCE whose filter domain holds it (the same definitions, read
        on the record), None for an invoice none of them holds (cancelled)."""
        if invoice.state != "posted":
            return None
        if invoice.b2b_disputed:
            return "disputed"
        if invoice.payment_state in ("paid", "in_payment", "reversed"):
            return "paid"
        if invoice.payment_state in ("not_paid", "partial"):
            if invoice.invoice_date_due and invoice.invoice_date_due < today:
                return "overdue"
            return "partial" if invoice.payment_state == "partial" else "open"
        return None

    def _b2b_invoice_set_statuses(self, invoices_data):
        """Put on each row its status ``b2b_status`` ({'key', 'label', 'badge'}) as the status
        filter and the status groups name it, and ``b2b_payable``: something is left to pay
        on it (due less its open disputes; the disputes of the page read in one go)."""
        if not invoices_data:
            return
        statuses = self._b2b_invoice_statuses()
        today = fields.Date.context_today(request.env.user)
        # the page's invoices, found through the record rules: their states read in one go
        invoices = request.env["account.move"].sudo().browse([data["invoice"].id for data in invoices_data])
        invoices.mapped("b2b_dispute_amount")
        for data, invoice in zip(invoices_data, invoices, strict=True):
            key = self._b2b_invoice_status_key(invoice, today)
            data["b2b_payable"] = (
                invoice.state == "posted"
                and invoice.move_type == "out_invoice"
                and invoice.payment_state in ("not_paid", "partial")
                and invoice.currency_id.compare_amounts(invoice.amount_residual, invoice.b2b_dispute_amount) > 0
            )
            if key in statuses:
                data["b2b_status"] = {"key": key, "label": statuses[key][0], "badge": INVOICE_STATUS_BADGES[key]}

    def _b2b_invoice_select_currencies(self, invoices_data):
        """The currencies of the page's invoices with something to pay, the company's first:
        one "Select all open" each (a payment is in one currency)."""
        company_currency = request.env.company.currency_id
        currencies = {data["invoice"].currency_id for data in invoices_data if data.get("b2b_payable")}
        return sorted(currencies, key=lambda currency: (currency != company_currency, currency.name))

    def _b2b_invoice_status_counts(self, domain):
        """{status key: invoices of ``domain`` whose row shows it}, one count per status."""
        AccountMove = request.env["account.move"]
        statuses = self._b2b_invoice_statuses()
        counts, before = {}, Domain.FALSE
        for key in INVOICE_STATUS_PRECEDENCE:
            if key not in statuses:
                continue
            counts[key] = AccountMove.search_count(domain & statuses[key][1] & ~before)
            before |= statuses[key][1]
        return counts

    def _b2b_invoice_groups(self, invoices_data, domain, groupby):
        """The page's invoices in groups: [{'label', 'count' (in the whole list), 'invoices'}],
        ``invoices`` being Odoo's per-invoice dicts; the counts in one query."""
        if groupby == "none":
            return [{"label": False, "count": len(invoices_data), "invoices": invoices_data}] if invoices_data else []
        AccountMove = request.env["account.move"]
        field = INVOICE_GROUPBY_FIELDS[groupby]
        if groupby == "month":
            counts = dict(AccountMove._read_group(domain, ["invoice_date:month"], ["__count"]))

            def key_of(data):
                day = data["invoice"].invoice_date
                return day and day.replace(day=1)

        elif groupby == "status":
            # the statuses the rows show (as the status filter names them); the list is sorted
            # by them in SQL (account.move's b2b_portal_status_rank), across pages
            counts = self._b2b_invoice_status_counts(domain)

            def key_of(data):
                return (data.get("b2b_status") or {}).get("key")

        else:
            counts = dict(AccountMove._read_group(domain, [field], ["__count"]))

            def key_of(data):
                return data["invoice"][field]

        labels = {}
        if groupby == "status":
            labels = {key: label for key, (label, _domain) in self._b2b_invoice_statuses().items()}
        groups = []
        for key, group in groupbyelem(invoices_data, key_of):
            if groupby == "month":
                label = key and format_date(request.env, key, date_format="MMMM yyyy").capitalize()
            elif groupby == "status":
                label = labels.get(key, False)
            else:
                label = key.sudo().display_name
            groups.append({"label": label, "count": counts.get(key, 0), "invoices": list(group)})
        return groups

    # ------------------------------------------------------------------
    # ZIP of a selection
    # ------------------------------------------------------------------
    def _b2b_parse_invoice_ids(self):
        """Invoice ids of ``invoice_ids`` (comma separated, or repeated as a form sends them),
        in order, without duplicates; None when malformed."""
        values = request.httprequest.args.getlist("invoice_ids") or request.httprequest.form.getlist("invoice_ids")
        ids = []
        for value in values:
            for part in value.split(","):
                part = part.strip()
                if not part:
                    continue
                if not part.isdigit():
                    return None
                ids.append(int(part))
        return list(dict.fromkeys(ids))

    def _b2b_text_response(self, message, status):
        return request.make_response(message, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status)

    def _b2b_invoice_documents(self, invoices):
        """{invoice id: [{'filename', 'filetype', 'content'}]} of readable, posted ``invoices`` (in
        sudo): the PDF Odoo stored when the invoice was sent, with its e-invoice XML (Factur-X,
        UBL) when there is one; the invoices never sent are rendered as Odoo's portal shows them,
        all in one pass per company (not one PDF run each), named by their number."""
        documents = {}
        missing = invoices.browse()
        for invoice in invoices:
            if invoice.invoice_pdf_report_id:
                documents[invoice.id] = invoice._get_invoice_legal_documents_all()
            else:
                missing |= invoice
        Report = request.env["ir.actions.report"].sudo()
        for company, company_invoices in missing.grouped("company_id").items():
            # as account.move._get_invoice_pdf_proforma (what Odoo's portal gives of an invoice
            # never sent), for all of them at once
            content, report_type = Report.with_company(company)._pre_render_qweb_pdf(
                "account.account_invoices", company_invoices.ids, data={"proforma": True}
            )
            content_by_id = Report._get_splitted_report("account.account_invoices", content, report_type)
            for invoice in company_invoices:
                if invoice.id not in content_by_id:
                    # the PDF could not be split by invoice: this one on its own
                    content_by_id[invoice.id] = invoice._get_invoice_pdf_proforma()["content"]
                documents[invoice.id] = [
                    {
                        "filename": invoice._get_invoice_report_filename(),
                        "filetype": "pdf",
                        "content": content_by_id[invoice.id],
                    }
                ]
        return documents

    @http.route("/my/invoices/download", type="http", auth="user", methods=["GET"], website=True, sitemap=False)
    def portal_my_invoices_download(self, **kw):
        """One ZIP of the selected invoices' PDFs, with each one's e-invoice (Factur-X / UBL
        XML) when it exists. Every id is checked by the record rules before anything is read:
        one that is not the user's refuses the whole download (404, nothing sent)."""
        env = request.env
        ids = self._b2b_parse_invoice_ids()
        if ids is None:
            return self._b2b_text_response(env._("Invalid invoice selection."), 400)
        if not ids:
            return self._b2b_text_response(env._("Select at least one invoice to download."), 400)
        if len(ids) > INVOICE_DOWNLOAD_MAX:
            return self._b2b_text_response(
                env._("Select at most %(max)s invoices at a time.", max=INVOICE_DOWNLOAD_MAX), 400
            )
        invoices = env["account.move"].sudo()
        for invoice_id in ids:
            try:
                invoice_sudo = self._document_check_access("account.move", invoice_id)
            except (AccessError, MissingError):
                raise request.not_found() from None
            if invoice_sudo.state != "posted" or not invoice_sudo.is_sale_document(include_receipts=True):
                raise request.not_found()
            invoices |= invoice_sudo
        docs, names = [], set()
        documents = self._b2b_invoice_documents(invoices)
        for invoice_sudo in invoices:
            for doc in documents[invoice_sudo.id]:
                filename = doc["filename"]
                if filename in names:
                    filename = f"{invoice_sudo.name.replace('/', '_')}_{filename}"
                names.add(filename)
                docs.append(dict(doc, filename=filename))
        content = _build_zip_from_data(docs)
        filename = (
            invoices._get_invoice_report_filename(extension="zip") if len(invoices) == 1 else env._("invoices") + ".zip"
        )
        return request.make_response(content, _get_headers(filename, "application/zip", content))
