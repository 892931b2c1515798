"""Import existing Word documents as sources: `qmsdoc import procedure|form FILE.docx`.

`procedure` turns a Word procedure into procedures/ID.md (front matter and Markdown body);
`form` turns a Word form (a bordered table of labels and blanks) into a draft forms/ID.yaml.
What could not be mapped, and every guess, is listed with its place in the Word file.
"""
