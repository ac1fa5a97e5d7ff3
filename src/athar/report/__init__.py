"""athar.report"""
