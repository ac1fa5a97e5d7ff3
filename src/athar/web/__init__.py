"""athar.web"""
