"""athar.api"""
