"""athar.store"""
