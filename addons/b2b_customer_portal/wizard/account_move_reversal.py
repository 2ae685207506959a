from odoo import models
from odoo.exceptions import UserError


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        """Opened from a dispute's "resolve" buttons: the credit note (and new invoice) made
        here resolve that dispute. The dispute is read as the user (its access rules apply)."""
        action = super().reverse_moves(is_modify=is_modify)
        dispute_id = self.env.context.get("b2b_dispute_id")
        if dispute_id:
            dispute = self.env["b2b.invoice.dispute"].browse(dispute_id).exists()
            if not dispute or dispute.move_id not in self.move_ids:
                raise UserError(self.env._("This reversal is not the one of the dispute."))
            # with a new invoice, new_move_ids holds only the new invoice: its credit note too
            credit_notes = self.move_ids.reversal_move_ids.filtered(lambda move: move.move_type == "out_refund")
            dispute._b2b_resolve_with(self.new_move_ids | credit_notes)
        return action
