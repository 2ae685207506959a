// Tours of b2b_customer_portal: one file per flow in this folder.
