"""/my/replenishment as the customer's people: the buyer of a site (and only its site), the
approver (every site), refused to the accountant, the viewer, another site's buyer, another
customer and guests; on-hand counts, pause and resume, proposals validated, changed and
skipped; bad input refused with nothing written; RPC gives what the page gives; emails."""

from datetime import timedelta

from lxml import html

from odoo import Command, fields
from odoo.addons.b2b_customer_portal.tests.common import open_counting_queries
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tests import HttpCase, new_test_user, tagged


class B2bReplenishmentPortalCase(B2bRoleUsersMixin, HttpCase):
    """The customer's buyer orders for its Lyon site only, a second buyer for Grenoble; each
    site has a rule for the same paper validated by the buyer; the Lyon rule has a proposal
    of 10 waiting (as the daily run makes it). Another customer has a rule of its own."""

    _b2b_prefix = "replp"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix=cls._b2b_prefix)
        cls.lyon, cls.grenoble = cls.portal_sites
        cls.buyer = cls.portal_users["buyer"]
        cls.buyer.partner_id.b2b_portal_site_ids = [Command.set(cls.lyon.ids)]
        grenoble_contact = cls.env["res.partner"].create(
            {
                "name": f"Grenoble Buyer {cls._b2b_prefix}",
                "parent_id": cls.portal_customer.id,
                "email": f"{cls._b2b_prefix}.grenoble@customer.example",
                "b2b_portal_role": "buyer",
                "b2b_portal_site_ids": [Command.set(cls.grenoble.ids)],
            }
        )
        cls.grenoble_buyer = new_test_user(
            cls.env,
            login=f"{cls._b2b_prefix}_portal_grenoble",
            groups="base.group_portal",
            partner_id=grenoble_contact.id,
            tz="Europe/Paris",
        )
        cls.approver = cls.portal_users["approver"]
        cls.other_buyer = cls.portal_users["other_buyer"]
        other_site = cls.env["res.partner"].create(
            {"name": "Site Autre", "type": "delivery", "parent_id": cls.other_portal_customer.id}
        )
        cls.paper = cls.env["product.product"].create(
            {"name": "Ramette réappro", "default_code": "RAM-R", "list_price": 5.0, "type": "consu"}
        )
        cls.toner = cls.env["product.product"].create(
            {"name": "Toner réappro", "default_code": "TON-R", "list_price": 40.0, "type": "consu"}
        )
        cls.lyon_rule = cls._rule(cls.lyon, cls.buyer.partner_id, cls.paper)
        cls.lyon_toner_rule = cls._rule(cls.lyon, cls.buyer.partner_id, cls.toner, quantity=2)
        cls.grenoble_rule = cls._rule(cls.grenoble, grenoble_contact, cls.paper)
        cls.other_rule = cls._rule(
            other_site, cls.other_buyer.partner_id, cls.paper, customer=cls.other_portal_customer
        )
        cls.proposal = cls._proposal(cls.lyon, cls.buyer.partner_id, {cls.lyon_rule: 10.0, cls.lyon_toner_rule: 2.0})
        cls.paper_line, cls.toner_line = cls.proposal.order_line

    @classmethod
    def _rule(cls, site, buyer, product, customer=None, quantity=10.0, **vals):
        return cls.env["b2b.replenishment.rule"].create(
            {
                "partner_id": (customer or cls.portal_customer).id,
                "partner_shipping_id": site.id,
                "buyer_id": buyer.id,
                "product_id": product.id,
                "mode": "periodic",
                "validation": "buyer",
                "quantity": quantity,
                "interval_number": 1,
                "interval_type": "week",
                "start_date": fields.Date.today() + timedelta(days=7),
                **vals,
            }
        )

    @classmethod
    def _proposal(cls, site, buyer, quantities):
        """A proposal as the daily run makes it: a replenishment quotation for the site, one
        line per rule, and the rule's period record ``proposed`` pointing to its line."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "partner_shipping_id": site.id,
                "b2b_order_type": "replenishment",
                "order_line": [
                    Command.create(
                        {
                            "product_id": rule.product_id.id,
                            "product_uom_qty": qty,
                            "b2b_replenishment_rule_id": rule.id,
                        }
                    )
                    for rule, qty in quantities.items()
                ],
            }
        )
        cls.env["b2b.replenishment.period"].create(
            [
                {
                    "rule_id": line.b2b_replenishment_rule_id.id,
                    "period_date": line.b2b_replenishment_rule_id.next_period_date,
                    "company_id": order.company_id.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "partner_shipping_id": site.id,
                    "product_id": line.product_id.id,
                    "state": "proposed",
                    "computed_qty": line.product_uom_qty,
                    "proposed_qty": line.product_uom_qty,
                    "order_line_id": line.id,
                }
                for line in order.order_line
            ]
        )
        return order

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _csrf_token(self):
        response = self.url_open("/my/replenishment")
        self.assertEqual(response.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": self._csrf_token(), **data})

    def _counts(self, rule=None):
        rule = rule or self.lyon_rule
        return self.env["b2b.replenishment.count"].search(
            [("partner_shipping_id", "=", rule.partner_shipping_id.id), ("product_id", "=", rule.product_id.id)]
        )

    def _periods(self, order=None):
        return self.env["b2b.replenishment.period"].search(
            [("order_line_id", "in", (order or self.proposal).order_line.ids)]
        )


@tagged("post_install", "-at_install")
class TestPortalReplenishmentAccess(B2bReplenishmentPortalCase):
    def test_buyer_sees_its_site_rules_and_proposal_only(self):
        self._login(self.buyer)
        response = self.url_open("/my/replenishment")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'id="rule-{self.lyon_rule.id}"', response.text)
        self.assertIn(f'id="rule-{self.lyon_toner_rule.id}"', response.text)
        self.assertNotIn(f'id="rule-{self.grenoble_rule.id}"', response.text, "another site's rule")
        self.assertNotIn(f'id="rule-{self.other_rule.id}"', response.text, "another customer's rule")
        self.assertIn(f'id="proposal-{self.proposal.id}"', response.text)
        self.assertIn(f'name="qty_{self.paper_line.id}"', response.text)
        self.assertIn('<span class="b2b_max_qty">30</span>', response.text, "3 times the proposed 10")

    def test_approver_sees_every_site(self):
        self._login(self.approver)
        response = self.url_open("/my/replenishment")
        self.assertEqual(response.status_code, 200)
        for rule in (self.lyon_rule, self.grenoble_rule):
            self.assertIn(f'id="rule-{rule.id}"', response.text)
        self.assertNotIn(f'id="rule-{self.other_rule.id}"', response.text)
        self.assertIn(f'id="proposal-{self.proposal.id}"', response.text)

    def test_other_site_buyer_and_other_customer_see_nothing_of_it(self):
        for user in (self.grenoble_buyer, self.other_buyer):
            with self.subTest(user=user.login):
                self._login(user)
                response = self.url_open("/my/replenishment")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(f'id="rule-{self.lyon_rule.id}"', response.text)
                self.assertNotIn(f'id="proposal-{self.proposal.id}"', response.text)

    def test_accountant_viewer_refused_guest_sent_to_login(self):
        for role in ("accountant", "viewer"):
            with self.subTest(role=role):
                self._login(self.portal_users[role])
                self.assertEqual(self.url_open("/my/replenishment").status_code, 403)
        self.authenticate(None, None)
        response = self.url_open("/my/replenishment", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_other_site_buyer_and_other_customer_refused_every_action(self):
        lyon_rule = self.lyon_rule
        for user in (self.grenoble_buyer, self.other_buyer):
            with self.subTest(user=user.login):
                self._login(user)
                token = self._csrf_token()
                for url, data in (
                    (f"/my/replenishment/rule/{lyon_rule.id}/count", {"quantity": "3"}),
                    (f"/my/replenishment/rule/{lyon_rule.id}/pause", {"reason": "no"}),
                    (f"/my/replenishment/rule/{lyon_rule.id}/resume", {}),
                    (f"/my/replenishment/proposal/{self.proposal.id}/validate", {f"qty_{self.paper_line.id}": "5"}),
                    (f"/my/replenishment/proposal/{self.proposal.id}/skip", {}),
                ):
                    response = self.url_open(url, data={"csrf_token": token, **data})
                    self.assertEqual(response.status_code, 404, url)
        self.assertFalse(self._counts())
        self.assertEqual(lyon_rule.state, "active")
        self.assertEqual(self.proposal.state, "draft")
        self.assertEqual(self.paper_line.product_uom_qty, 10.0)
        self.assertEqual(set(self._periods().mapped("state")), {"proposed"})

    def test_accountant_viewer_guest_refused_every_action(self):
        for role in ("accountant", "viewer"):
            with self.subTest(role=role):
                self._login(self.portal_users[role])
                response = self.url_open("/my/account")  # a form of the portal, for a CSRF token
                marker = 'name="csrf_token" value="'
                token = response.text[response.text.index(marker) + len(marker) :].split('"')[0]
                for url, data in (
                    (f"/my/replenishment/rule/{self.lyon_rule.id}/count", {"quantity": "3"}),
                    (f"/my/replenishment/rule/{self.lyon_rule.id}/pause", {}),
                    (f"/my/replenishment/proposal/{self.proposal.id}/validate", {}),
                    (f"/my/replenishment/proposal/{self.proposal.id}/skip", {}),
                ):
                    response = self.url_open(url, data={"csrf_token": token, **data})
                    self.assertEqual(response.status_code, 403, url)
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/replenishment/proposal/{self.proposal.id}/skip", data={"csrf_token": "x"}, allow_redirects=False
        )
        self.assertIn(response.status_code, (303, 400))
        self.assertFalse(self._counts())
        self.assertEqual(self.lyon_rule.state, "active")
        self.assertEqual(self.proposal.state, "draft")
        self.assertEqual(set(self._periods().mapped("state")), {"proposed"})

    def test_post_without_csrf_refused(self):
        self._login(self.buyer)
        response = self.url_open(
            f"/my/replenishment/rule/{self.lyon_rule.id}/count", data={"quantity": "3", "csrf_token": "forged"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._counts())

    def test_rpc_gives_what_the_page_gives(self):
        Rule = self.env["b2b.replenishment.rule"]
        all_ours = self.lyon_rule | self.lyon_toner_rule | self.grenoble_rule
        expected = {
            self.buyer: self.lyon_rule | self.lyon_toner_rule,
            self.grenoble_buyer: self.grenoble_rule,
            self.approver: all_ours,
            self.other_buyer: self.other_rule,
            self.portal_users["accountant"]: Rule,
            self.portal_users["viewer"]: Rule,
        }
        for user, rules in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(Rule.with_user(user).search([("id", "in", (all_ours | self.other_rule).ids)]), rules)
        with self.assertRaises(AccessError):
            self.lyon_rule.with_user(self.grenoble_buyer).read(["quantity"])
        # nobody in the portal writes a rule or a count directly: the portal actions decide
        with self.assertRaises(AccessError):
            self.lyon_rule.with_user(self.buyer).write({"quantity": 1000})
        with self.assertRaises(AccessError):
            self.env["b2b.replenishment.count"].with_user(self.buyer).create(
                {"partner_shipping_id": self.lyon.id, "product_id": self.paper.id, "quantity": 1}
            )
        with self.assertRaises(AccessError):
            self.lyon_rule.with_user(self.grenoble_buyer)._b2b_portal_declare_count("3")
        self.assertEqual(self.lyon_rule.quantity, 10.0)
        self.assertFalse(self._counts())
        # the proposal: seen by RPC by those who see it on the page
        SaleOrder = self.env["sale.order"]
        for user, visible in (
            (self.buyer, True),
            (self.approver, True),
            (self.grenoble_buyer, False),
            (self.other_buyer, False),
            (self.portal_users["accountant"], False),
        ):
            with self.subTest(user=user.login):
                found = SaleOrder.with_user(user).search(
                    Domain("id", "=", self.proposal.id) & SaleOrder._b2b_portal_proposal_domain()
                )
                self.assertEqual(bool(found), visible)

    def test_home_card_counts_the_proposals_waiting(self):
        expected = {self.buyer: 1, self.approver: 1, self.grenoble_buyer: 0, self.portal_users["accountant"]: 0}
        for user, count in expected.items():
            with self.subTest(user=user.login):
                self._login(user)
                result = self.make_jsonrpc_request("/my/counters", {"counters": ["b2b_replenishment_count"]})
                self.assertEqual(result["b2b_replenishment_count"], count)
        self._login(self.buyer)
        self.assertIn("Replenishments to validate", self.url_open("/my").text)

    def _home_card_shown(self):
        """Whether /my shows a card to /my/replenishment (not hidden until a counter comes)."""
        root = html.fromstring(self.url_open("/my").content)
        cards = root.xpath("//a[@href='/my/replenishment']/ancestor::div[contains(@class, 'o_portal_index_card')]")
        return any("d-none" not in card.get("class", "").split() for card in cards)

    def test_home_card_leads_to_the_rules_with_no_proposal_waiting(self):
        self.proposal.action_cancel()
        for user, shown in (
            (self.buyer, True),
            (self.grenoble_buyer, True),
            (self.approver, True),
            (self.other_buyer, True),
            (self.portal_users["accountant"], False),
            (self.portal_users["viewer"], False),
        ):
            with self.subTest(user=user.login):
                self._login(user)
                self.assertEqual(self._home_card_shown(), shown)
        # a buyer whose sites have no rule has no way in to an empty page
        self.grenoble_rule.unlink()
        self._login(self.grenoble_buyer)
        self.assertFalse(self._home_card_shown())


@tagged("post_install", "-at_install")
class TestPortalReplenishmentActions(B2bReplenishmentPortalCase):
    def test_buyer_declares_an_on_hand_count(self):
        self._login(self.buyer)
        response = self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/count", quantity="12,5")
        self.assertEqual(response.status_code, 200)
        self.assertIn("message=count", response.url)
        count = self._counts()
        self.assertEqual(len(count), 1)
        self.assertEqual(count.quantity, 12.5)
        self.assertEqual(count.declared_by_id, self.buyer)
        self.assertEqual(count.source, "portal")
        self.assertIn("On hand: <span>12.5</span>", response.text)
        yesterday = fields.Date.today() - timedelta(days=1)
        self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/count", quantity="0", count_date=str(yesterday))
        self.assertEqual(len(self._counts()), 2)

    def test_bad_counts_refused_with_a_message_nothing_written(self):
        self._login(self.buyer)
        tomorrow = fields.Date.today() + timedelta(days=2)
        for data, message in (
            ({"quantity": "-3"}, "cannot be negative"),
            ({"quantity": "douze"}, "enter a number"),
            ({"quantity": ""}, "enter a number"),
            ({"quantity": "nan"}, "enter a number"),
            ({"quantity": "inf"}, "enter a number"),
            ({"quantity": "1e9"}, "cannot be more than 1,000,000"),
            ({"quantity": "1e20"}, "cannot be more than 1,000,000"),
            ({"quantity": "1000000.5"}, "cannot be more than 1,000,000"),
            ({"quantity": "4", "count_date": str(tomorrow)}, "cannot be dated in the future"),
            ({"quantity": "4", "count_date": "31/02/2026"}, "enter a valid date"),
        ):
            with self.subTest(data=data):
                response = self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/count", **data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertIn("Nothing was changed", response.text)
        self.assertFalse(self._counts())

    def test_buyer_pauses_and_resumes_a_rule(self):
        self._login(self.buyer)
        resume = fields.Date.today() + timedelta(days=30)
        response = self._post(
            f"/my/replenishment/rule/{self.lyon_rule.id}/pause", resume_date=str(resume), reason="Site fermé en août"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("message=paused", response.url)
        self.assertEqual(self.lyon_rule.state, "paused")
        self.assertEqual(self.lyon_rule.pause_until, resume)
        self.assertEqual(self.lyon_rule.pause_reason, "Site fermé en août")
        self.assertIn("Site fermé en août", response.text)
        self.assertIn("Paused in the portal by", " ".join(self.lyon_rule.message_ids.mapped("body")))
        response = self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/resume")
        self.assertIn("message=resumed", response.url)
        self.assertEqual(self.lyon_rule.state, "active")
        self.assertFalse(self.lyon_rule.pause_until)

    def test_approver_acts_on_every_site(self):
        self._login(self.approver)
        response = self._post(f"/my/replenishment/rule/{self.grenoble_rule.id}/count", quantity="7")
        self.assertIn("message=count", response.url)
        self.assertEqual(self._counts(self.grenoble_rule).declared_by_id, self.approver)
        response = self._post(f"/my/replenishment/rule/{self.grenoble_rule.id}/pause")
        self.assertIn("message=paused", response.url)
        self.assertEqual(self.grenoble_rule.state, "paused")
        self.assertFalse(self.grenoble_rule.pause_until)
        response = self._post(f"/my/replenishment/proposal/{self.proposal.id}/validate")
        self.assertIn("message=validated", response.url)
        self.assertEqual(self.proposal.state, "sale")

    def test_bad_pause_refused_nothing_written(self):
        self._login(self.buyer)
        for resume_date in ("demain", str(fields.Date.today() - timedelta(days=1))):
            with self.subTest(resume_date=resume_date):
                response = self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/pause", resume_date=resume_date)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Nothing was changed", response.text)
        self.assertEqual(self.lyon_rule.state, "active")
        response = self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/resume")
        self.assertEqual(response.status_code, 400, "an active rule is not resumed")
        self.assertIn("not paused", response.text)

    def test_buyer_validates_with_changed_quantities(self):
        self._login(self.buyer)
        response = self._post(
            f"/my/replenishment/proposal/{self.proposal.id}/validate",
            **{f"qty_{self.paper_line.id}": "25", f"qty_{self.toner_line.id}": "0"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("message=validated", response.url)
        self.assertEqual(self.proposal.state, "sale")
        self.assertEqual(self.paper_line.product_uom_qty, 25.0)
        self.assertEqual(self._periods().filtered(lambda p: p.rule_id == self.lyon_rule).state, "confirmed")
        self.assertIn("Quantities changed", self.proposal.message_ids.mapped("body")[1])
        self.assertNotIn(f'id="proposal-{self.proposal.id}"', response.text)

    def test_bad_quantities_refused_nothing_written(self):
        self._login(self.buyer)
        for quantities, message in (
            ({f"qty_{self.paper_line.id}": "31"}, "between 0 and 30"),
            ({f"qty_{self.paper_line.id}": "-1"}, "cannot be negative"),
            ({f"qty_{self.paper_line.id}": "beaucoup"}, "enter a number"),
            ({f"qty_{self.paper_line.id}": "0", f"qty_{self.toner_line.id}": "0"}, "skip this replenishment"),
            ({f"qty_{self.proposal.order_line[0].id + 10000}": "1"}, "not lines of the proposal"),
        ):
            with self.subTest(quantities=quantities):
                response = self._post(f"/my/replenishment/proposal/{self.proposal.id}/validate", **quantities)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertEqual(self.proposal.state, "draft")
        self.assertEqual(self.paper_line.product_uom_qty, 10.0)
        self.assertEqual(set(self._periods().mapped("state")), {"proposed"})

    def test_buyer_skips_a_proposal(self):
        self._login(self.buyer)
        response = self._post(f"/my/replenishment/proposal/{self.proposal.id}/skip")
        self.assertEqual(response.status_code, 200)
        self.assertIn("message=skipped", response.url)
        self.assertEqual(set(self._periods().mapped("state")), {"skipped"})
        self.assertNotIn(f'id="proposal-{self.proposal.id}"', response.text)
        # no longer waiting: a second decision is refused
        response = self._post(f"/my/replenishment/proposal/{self.proposal.id}/validate")
        self.assertIn(response.status_code, (400, 404))

    def test_french_page(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_replenishment"], ["fr_FR"], overwrite=True)
        self.buyer.partner_id.lang = "fr_FR"
        self._login(self.buyer)
        response = self.url_open("/my/replenishment")
        self.assertEqual(response.status_code, 200)
        for text in ("Propositions à valider", "Règles de réapprovisionnement", "Sauter cette fois", "Valider"):
            self.assertIn(text, response.text)
        response = self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/count", quantity="2,5")
        self.assertIn("En stock : <span>2,5</span>", response.text)
        self.assertIn('<span class="b2b_max_qty">30</span>', response.text)
        response = self._post(f"/my/replenishment/rule/{self.lyon_rule.id}/count", quantity="1e9")
        self.assertEqual(response.status_code, 400)
        self.assertRegex(response.text, r"ne peut pas dépasser 1\D000\D000\.")
        self.assertEqual(self._counts().quantity, 2.5)
        home = self.url_open("/my").text
        self.assertIn("Réapprovisionnements à valider", home)
        self.assertIn("Vos règles de réapprovisionnement", home)


@tagged("post_install", "-at_install")
class TestPortalReplenishmentTour(B2bReplenishmentPortalCase):
    def setUp(self):
        super().setUp()
        # two proposals: the paper's (validated at 15) and the toner's (skipped)
        self._periods().filtered(lambda period: period.rule_id == self.lyon_toner_rule).unlink()
        self.toner_line.unlink()
        self.proposal.name = "B2B-TOUR-REPL"
        self.second = self._proposal(self.lyon, self.buyer.partner_id, {self.lyon_toner_rule: 2.0})
        self.second.name = "B2B-TOUR-SKIP"

    def _check_tour_outcome(self):
        self.assertEqual(self.proposal.state, "sale")
        self.assertEqual(self.proposal.order_line.product_uom_qty, 15.0)
        self.assertEqual(self._periods(self.second).state, "skipped")
        self.assertEqual(self._counts().quantity, 4.5)
        self.assertEqual(self._counts().declared_by_id, self.buyer)
        self.assertEqual(self.lyon_toner_rule.state, "active")
        self.assertIn("Paused in the portal by", " ".join(self.lyon_toner_rule.message_ids.mapped("body")))

    def test_tour_desktop(self):
        self.start_tour("/my/replenishment", "b2b_replenishment_portal", login=self.buyer.login)
        self._check_tour_outcome()

    def test_tour_phone(self):
        self.browser_size = "375x667"
        self.start_tour("/my/replenishment", "b2b_replenishment_portal", login=self.buyer.login)
        self._check_tour_outcome()


@tagged("post_install", "-at_install")
class TestReplenishmentBuyerEmails(B2bReplenishmentPortalCase):
    """The buyer is told ahead of a proposal (company setting) and when it is ready, in its
    language, once; a proposal left unanswered is confirmed after the company's delay (0: never)."""

    def _mails(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def test_notice_before_the_proposal_once_per_site_and_date(self):
        company = self.env.company
        company.b2b_replenishment_notice_days = 7
        self.assertEqual(self.lyon_rule.next_date, fields.Date.today() + timedelta(days=7))
        self.env["sale.order"]._cron_b2b_replenishment_buyer()
        mails = self._mails(self.buyer.partner_id)
        notices = mails.filtered(lambda mail: "Replenishment of Site Lyon" in mail.subject)
        self.assertEqual(len(notices), 1, "one email for the site's two rules due the same day")
        self.assertIn("Ramette réappro", notices.body_html)
        self.assertIn("Toner réappro", notices.body_html)
        self.assertIn("/my/replenishment", notices.body_html)
        self.assertIn("Replenishment of Site Autre", self._mails(self.other_buyer.partner_id).subject)
        self.assertIn("Replenishment of Site Grenoble", self._mails(self.grenoble_rule.buyer_id).subject)
        self.env["sale.order"]._cron_b2b_replenishment_buyer()
        self.assertEqual(
            len(self._mails(self.buyer.partner_id).filtered(lambda mail: "Replenishment of" in mail.subject)), 1
        )

    def test_no_notice_outside_the_delay_or_when_off(self):
        self.env.company.b2b_replenishment_notice_days = 6
        self.env["b2b.replenishment.rule"]._b2b_send_proposal_notices()
        self.env.company.b2b_replenishment_notice_days = 0
        self.env["b2b.replenishment.rule"]._b2b_send_proposal_notices()
        self.assertFalse(self._mails(self.buyer.partner_id).filtered(lambda mail: "Replenishment of" in mail.subject))

    def test_ready_email_once_with_the_link_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_replenishment"], ["fr_FR"], overwrite=True)
        self.buyer.partner_id.lang = "fr_FR"
        self.env["sale.order"]._b2b_send_proposal_ready()
        mail = self._mails(self.buyer.partner_id)
        self.assertEqual(len(mail), 1)
        self.assertIn(f"Réapprovisionnement à valider : {self.proposal.name}", mail.subject)
        self.assertIn("attend votre validation", mail.body_html)
        self.assertIn(f"/my/replenishment#proposal-{self.proposal.id}", mail.body_html)
        self.env["sale.order"]._b2b_send_proposal_ready()
        self.assertEqual(len(self._mails(self.buyer.partner_id)), 1, "told once")

    def _age_proposal(self, days):
        self.env.cr.execute(
            "UPDATE b2b_replenishment_period SET create_date = now() at time zone 'UTC' - %s * interval '1 day'"
            " WHERE id IN %s",
            (days, tuple(self._periods().ids)),
        )
        self.env["b2b.replenishment.period"].invalidate_model(["create_date"])

    def test_unanswered_proposal_confirmed_after_the_delay(self):
        self.env.company.b2b_replenishment_auto_confirm_days = 3
        self._age_proposal(2)
        self.env["sale.order"]._b2b_confirm_silent_proposals()
        self.assertEqual(self.proposal.state, "draft", "not yet 3 days")
        self._age_proposal(4)
        self.env["sale.order"]._b2b_confirm_silent_proposals()
        self.assertEqual(self.proposal.state, "sale")
        self.assertEqual(set(self._periods().mapped("state")), {"confirmed"})
        self.assertIn("confirmed automatically", " ".join(self.proposal.message_ids.mapped("body")))

    def test_unanswered_proposal_waits_when_off(self):
        self.env.company.b2b_replenishment_auto_confirm_days = 0
        self._age_proposal(30)
        self.env["sale.order"]._cron_b2b_replenishment_buyer()
        self.assertEqual(self.proposal.state, "draft")


@tagged("post_install", "-at_install")
class TestPortalReplenishmentQueries(B2bReplenishmentPortalCase):
    def _add_rules_and_proposal(self, site, tag):
        """Four more rules at ``site``, with an on-hand count each, three of them proposed."""
        products = self.env["product.product"].create(
            [{"name": f"Article réappro {tag}{n}", "type": "consu", "list_price": 1.0} for n in range(4)]
        )
        buyer = self.grenoble_rule.buyer_id
        rules = [self._rule(site, buyer, product) for product in products]
        self._proposal(site, buyer, dict.fromkeys(rules[:3], 5.0))
        self.env["b2b.replenishment.count"].create(
            [{"partner_shipping_id": site.id, "product_id": product.id, "quantity": 1} for product in products]
        )
        self.env.flush_all()

    def _count(self):
        open_counting_queries(self, "/my/replenishment")  # warm the caches (templates, assets, rules)
        return open_counting_queries(self, "/my/replenishment")

    def test_query_count_does_not_grow_with_rules_and_proposals(self):
        self.authenticate(self.approver.login, self.approver.login)
        self._add_rules_and_proposal(self.grenoble, "A")
        before, response = self._count()
        self.assertEqual(response.text.count('class="b2b_rule"'), 3 + 4)
        self._add_rules_and_proposal(self.lyon, "B")
        after, response = self._count()
        self.assertEqual(response.text.count('class="b2b_rule"'), 3 + 4 + 4)
        self.assertEqual(response.text.count("b2b_proposal_qty"), 2 + 3 + 3)
        self.assertEqual(after, before)


@tagged("post_install", "-at_install")
class TestPortalReplenishmentFromTheRun(B2bReplenishmentPortalCase):
    """The proposal the daily run makes is the one the page shows and validates."""

    def test_run_proposal_validated_by_the_site_buyer_only(self):
        self.env.company.security_lead = 0.0
        products = self.env["product.product"].create(
            [{"name": f"Gel réappro {n}", "type": "consu", "list_price": 2.0, "sale_delay": 0} for n in range(2)]
        )
        buyer = self.grenoble_rule.buyer_id
        rules = [self._rule(self.grenoble, buyer, product, start_date=fields.Date.today()) for product in products]
        self.assertEqual(rules[0].next_date, fields.Date.today())
        run = self.env["b2b.replenishment.run"].create({"company_id": self.env.company.id})
        run._run_replenishment()
        order = self.env["sale.order.line"].search([("b2b_replenishment_rule_id", "=", rules[0].id)]).order_id
        self.assertEqual(len(order), 1)
        self.assertEqual(order.order_line.b2b_replenishment_rule_id, rules[0] | rules[1], "one proposal for the site")
        line = order.order_line.filtered(lambda line: line.b2b_replenishment_rule_id == rules[0])

        self._login(self.buyer)  # the Lyon buyer
        self.assertNotIn(f'id="proposal-{order.id}"', self.url_open("/my/replenishment").text)
        response = self.url_open(
            f"/my/replenishment/proposal/{order.id}/validate",
            data={"csrf_token": self._csrf_token(), f"qty_{line.id}": "12"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(order.state, "draft")

        self._login(self.grenoble_buyer)
        page = self.url_open("/my/replenishment").text
        self.assertIn(f'id="proposal-{order.id}"', page)
        self.assertIn('<span class="b2b_max_qty">30</span>', page)
        response = self._post(f"/my/replenishment/proposal/{order.id}/validate", **{f"qty_{line.id}": "12"})
        self.assertIn("message=validated", response.url)
        self.assertEqual(order.state, "sale")
        self.assertEqual(line.product_uom_qty, 12.0)
        periods = self.env["b2b.replenishment.period"].search([("rule_id", "in", [rule.id for rule in rules])])
        self.assertEqual(set(periods.mapped("state")), {"confirmed"})


@tagged("post_install", "-at_install")
class TestPortalReplenishmentApprovalLimit(B2bReplenishmentPortalCase):
    def test_proposal_over_the_approval_limit_waits_for_the_approver(self):
        """Above the customer's approval limit Odoo does not confirm the order: validated by
        the buyer, it leaves the proposals, held, and waits in the approver's list."""
        self.portal_customer.with_user(self.users["sales_manager"]).b2b_approval_limit = 20.0
        product = self.env["product.product"].create({"name": "Chaise réappro", "type": "consu", "list_price": 50.0})
        rule = self._rule(self.lyon, self.buyer.partner_id, product, quantity=1)
        proposal = self._proposal(self.lyon, self.buyer.partner_id, {rule: 1.0})
        self.assertEqual(proposal.b2b_approval_state, "to_approve")
        self._login(self.buyer)
        response = self._post(
            f"/my/replenishment/proposal/{proposal.id}/validate", **{f"qty_{proposal.order_line.id}": "2"}
        )
        self.assertIn("message=held", response.url)
        self.assertIn("waits for approval", response.text)
        self.assertNotIn(f'id="proposal-{proposal.id}"', response.text)
        self.assertEqual(proposal.state, "draft")
        self.assertEqual(proposal.order_line.product_uom_qty, 2.0)
        self.assertEqual(self._periods(proposal).state, "held")
        self._login(self.approver)
        self.assertIn(proposal.name, self.url_open("/my/approvals").text)
