"""athar.incidents"""
