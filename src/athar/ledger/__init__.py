"""athar.ledger"""
