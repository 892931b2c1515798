"""The staff portal: a static site of the current procedures and forms, and a server for it.

`catalogue` decides what staff see where (current, pending, archive) and groups it; `files`
publishes the downloadable .docx/.pdf files into the site; `pages` renders the HTML;
`write` runs the whole pipeline; `pdf` converts documents with LibreOffice; `serve` is the
read-only static server.
"""
