"""athar.intake"""
