"""One module per schema version, oldest first: 0001, 0002, …"""
