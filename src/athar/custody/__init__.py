"""athar.custody"""
