"""The only layer that builds raw WordprocessingML: fonts, numbering, fields, content controls,
table borders, settings, custom XML and zip normalisation. The rest of the generator calls
these functions in domain terms and never touches lxml itself.
"""
