"""The directory operation: the agency, its units, its users and delegations of signing authority."""
